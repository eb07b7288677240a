/**
 * An example dialog in both languages: it asks for a city (a slot), then answers. Add yours next to
 * it and list them in app.ts; their intents' examples go in locales/<lang>/corpus.json.
 * kefu adds greeting, thanks, goodbye, "talk to a person" (handoff to your agents) and a fallback.
 */
import { defineDialog } from 'kefu';

export const weather = defineDialog({
  id: 'weather',
  triggers: ['weather.ask'],
  label: { en: 'The weather', zh: '天气' },
  texts: {
    en: { askCity: 'Which city would you like the weather for?', sunny: 'It is always sunny in {city}, just like in Kefu Bay.' },
    zh: { askCity: '请问您想查询哪个城市的天气？', sunny: '{city}和客服湾一样，永远是晴天。' },
  },
  slots: (slot) => ({
    city: slot.text({ prompt: 'askCity' }),
  }),
  run(ctx, { city }) {
    ctx.say('sunny', { city });
  },
});
