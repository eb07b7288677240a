/** `npm start`: your bot on http://127.0.0.1:3000/ (PORT and the rest from the environment or .env). */
import { runKefu } from 'kefu';
import app from './app';

runKefu({ ...app, name: '{{name}}' });
