// Chinese has no spaces, so words come from Intl.Segmenter ('zh') and, because the segmenter
// cuts 企业用电量 as 企业/用/电量, also from every pair of adjacent Han characters (bigrams) and
// every single one. A document holds all three; a query word then matches wherever its
// characters appear contiguously, whatever the segmenter made of the document.

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
const TOKEN_CHARS = /[^\p{L}\p{N}]+/gu;

/** A token for the index: lower-case letters and digits only, so that it is safe in a tsquery. */
function clean(word: string): string {
  return word.normalize('NFKC').toLowerCase().replace(TOKEN_CHARS, '');
}

function hanBigrams(run: string): string[] {
  const chars = [...run];
  const out: string[] = [...chars];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** The index tokens of a text: segmenter words, and Han characters with their bigrams. */
export function documentTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike) continue;
    const word = clean(segment);
    if (!word || word.length > 60) continue;
    tokens.add(word);
  }
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) for (const t of hanBigrams(run)) tokens.add(t);
  return [...tokens];
}

/** Segmenter words of a query; single Han characters are joined to their neighbours again (用|电 → 用电). */
function queryWords(query: string): string[] {
  const words: string[] = [];
  let single = '';
  const flush = () => {
    if (single) words.push(single);
    single = '';
  };
  for (const { segment, isWordLike } of segmenter.segment(query)) {
    const word = isWordLike ? clean(segment) : '';
    if ([...word].length === 1 && HAN.test(word)) {
      single += word;
      continue;
    }
    // A stray character belongs with the Han word after it (用|电量 → 用电量).
    if (single && HAN.test(word)) {
      words.push(single + word);
      single = '';
      continue;
    }
    flush();
    if (word) words.push(word);
  }
  flush();
  return words;
}

/** One query term: a Han bigram group that must all match, or a Latin/number word matched by prefix. */
export interface QueryTerm {
  /** Every token of the term must be present (a Han word of 3+ characters is its bigrams). */
  all: string[];
  /** Latin words match as prefixes (census → censuses). */
  prefix: boolean;
}

/** The terms of a search query, each of which a match must contain. */
export function queryTerms(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  for (const word of queryWords(query.slice(0, 200))) {
    if (seen.has(word)) continue;
    seen.add(word);
    if (HAN.test(word)) {
      const chars = [...word];
      const all = chars.length <= 2 ? [word] : chars.slice(1).map((c, i) => chars[i]! + c);
      terms.push({ all, prefix: false });
    } else {
      terms.push({ all: [word], prefix: word.length >= 3 });
    }
  }
  return terms.slice(0, 12);
}

const lexeme = (token: string, weight: string, prefix: boolean) =>
  `'${token.replaceAll("'", "''")}':${prefix ? '*' : ''}${weight}`;

/** The tsquery text matching every term anywhere, or only in weight-A (title) positions. */
export function toTsQuery(terms: QueryTerm[], weight = ''): string {
  return terms.map((t) => `(${t.all.map((tok) => lexeme(tok, weight, t.prefix)).join(' & ')})`).join(' & ');
}
