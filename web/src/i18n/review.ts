import { defineMessages } from './define.js';

export const review = defineMessages({
  zh: {},
  en: {},
});
