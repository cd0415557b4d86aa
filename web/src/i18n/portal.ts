import { defineMessages } from './define.js';

export const portal = defineMessages({
  zh: {},
  en: {},
});
