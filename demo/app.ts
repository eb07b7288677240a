/**
 * The demo shop "Lumen & Co. / 流明商城" as kefu app options: its dialogs (dialogs/) and its corpora
 * and FAQs (locales/). `npm start` runs it (demo/main.ts); `kefu chat` and `kefu test` use it when
 * no `--app` is given.
 */
import { demoDialogs } from '../dialogs';
import type { KefuAppOptions } from '../server/create-app';

export const demoApp: KefuAppOptions = { dialogs: demoDialogs, locales: process.env.LOCALES_DIR ?? './locales' };

export default demoApp;
