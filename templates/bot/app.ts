/**
 * Your bot: its dialogs and its corpora. `npm start` runs it (bot.ts); `npm test` runs the stories
 * in stories/ against it; `npx kefu chat --app ./app.ts` talks to it in the terminal.
 */
import { join } from 'node:path';
import type { KefuAppOptions } from 'kefu';
import { weather } from './dialogs/weather';

const app: KefuAppOptions = {
  dialogs: [weather],
  locales: join(__dirname, 'locales'),
};

export default app;
