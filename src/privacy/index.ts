export {
  creditCodeCheckChar,
  hasValidCreditCodeCheck,
  hasValidResidentIdCheck,
  passesLuhn,
  residentIdCheckChar,
} from './check-digits.js';
