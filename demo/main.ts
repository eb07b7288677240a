/** `npm start`: the demo shop (demo/app.ts) as a process, everything else from the environment. */
import { runKefu } from '../server/run';
import { demoApp } from './app';

runKefu({ ...demoApp, name: 'kefu demo bot' });
