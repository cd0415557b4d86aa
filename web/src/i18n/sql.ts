import { defineMessages } from './define.js';

export const sql = defineMessages({
  zh: {},
  en: {},
});
