// GB 32100-2015 unified social credit code: 18 characters from a 31-letter alphabet (no I O S V Z),
// the last a check character over the first 17. Checked here so the form can say so before
// submitting; the server checks again.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Whether `code` is a well-formed credit code with a correct check character. */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(code[i]!) * WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET[check] === code[17];
}
