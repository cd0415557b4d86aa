import { defineMessages } from './define.js';

export const dashboard = defineMessages({
  zh: {},
  en: {},
});
