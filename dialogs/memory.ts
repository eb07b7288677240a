/**
 * What the demo's dialogs remember across dialogs (core's conversation memory): the order number
 * the customer gave, so the refund flow does not ask for it again after an order lookup.
 */
declare module '../core' {
  interface DialogMemory {
    /** The last well-formed order number the customer gave (forgotten when no such order exists). */
    orderNo: string;
  }
}

export {};
