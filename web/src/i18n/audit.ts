import { defineMessages } from './define.js';

export const audit = defineMessages({
  zh: {},
  en: {},
});
