/**
 * An order-statistic tree (a treap whose nodes know their subtree size): insert, remove, rank and
 * in-order walks in O(log n). The queue keeps its order and every waiting customer's position in
 * these instead of sorting the whole queue on each change.
 */

interface Node<T> {
  item: T;
  id: string;
  weight: number;
  size: number;
  left?: Node<T>;
  right?: Node<T>;
}

const size = <T>(n: Node<T> | undefined) => n?.size ?? 0;
const fix = <T>(n: Node<T>): Node<T> => {
  n.size = 1 + size(n.left) + size(n.right);
  return n;
};

export interface OrderTree<T> {
  readonly size: number;
  has(id: string): boolean;
  get(id: string): T | undefined;
  /** Adds or replaces (by id). */
  insert(item: T): void;
  remove(id: string): boolean;
  /** 0-based position in order, or undefined when absent. */
  rank(id: string): number | undefined;
  /** Items in order from the first. */
  values(): Generator<T>;
}

/** `compare` orders items; `idOf` identifies them (ties in `compare` must be broken by id). */
export function createOrderTree<T>(compare: (a: T, b: T) => number, idOf: (t: T) => string, random: () => number = Math.random): OrderTree<T> {
  let root: Node<T> | undefined;
  const byId = new Map<string, T>();

  function merge(a: Node<T> | undefined, b: Node<T> | undefined): Node<T> | undefined {
    if (!a) return b;
    if (!b) return a;
    if (a.weight > b.weight) {
      a.right = merge(a.right, b);
      return fix(a);
    }
    b.left = merge(a, b.left);
    return fix(b);
  }

  /** Splits into items before `item` and items from `item` on. */
  function split(n: Node<T> | undefined, item: T): [Node<T> | undefined, Node<T> | undefined] {
    if (!n) return [undefined, undefined];
    if (compare(n.item, item) < 0) {
      const [l, r] = split(n.right, item);
      n.right = l;
      return [fix(n), r];
    }
    const [l, r] = split(n.left, item);
    n.left = r;
    return [l, fix(n)];
  }

  function removeNode(n: Node<T> | undefined, item: T): Node<T> | undefined {
    if (!n) return undefined;
    const c = compare(item, n.item);
    if (c === 0) return merge(n.left, n.right);
    if (c < 0) n.left = removeNode(n.left, item);
    else n.right = removeNode(n.right, item);
    return fix(n);
  }

  function remove(id: string): boolean {
    const item = byId.get(id);
    if (item === undefined) return false;
    root = removeNode(root, item);
    byId.delete(id);
    return true;
  }

  return {
    get size() {
      return byId.size;
    },
    has: (id) => byId.has(id),
    get: (id) => byId.get(id),
    insert(item) {
      const id = idOf(item);
      remove(id);
      const [l, r] = split(root, item);
      root = merge(merge(l, { item, id, weight: random(), size: 1 }), r);
      byId.set(id, item);
    },
    remove,
    rank(id) {
      const item = byId.get(id);
      if (item === undefined) return undefined;
      let n = root;
      let before = 0;
      while (n) {
        const c = compare(item, n.item);
        if (c === 0) return before + size(n.left);
        if (c < 0) n = n.left;
        else {
          before += size(n.left) + 1;
          n = n.right;
        }
      }
      return undefined;
    },
    *values() {
      const stack: Node<T>[] = [];
      let n = root;
      while (n || stack.length) {
        while (n) {
          stack.push(n);
          n = n.left;
        }
        const top = stack.pop() as Node<T>;
        yield top.item;
        n = top.right;
      }
    },
  };
}
