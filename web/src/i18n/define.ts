/** A group of messages in both languages; the compiler rejects a key present in one only. */
export function defineMessages<K extends string>(messages: {
  zh: Record<K, string>;
  en: Record<K, string>;
}): { zh: Record<K, string>; en: Record<K, string> } {
  return messages;
}
