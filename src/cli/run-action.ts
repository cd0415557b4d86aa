import { ZodError } from 'zod';
import { AppError } from '../errors/index.js';

/** Turns any failure into one clear line on stderr and a non-zero exit. */
export function reportFailure(error: unknown): never {
  let message: string;
  if (error instanceof ZodError) {
    message = error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  } else if (error instanceof AppError) {
    // The CLI is the operator's: it may hear the reason a client is not told (AppError.logDetails).
    const reason = error.logDetails?.reason;
    message = `${error.message} (${error.code})${typeof reason === 'string' ? `: ${reason}` : ''}`;
  } else if (error instanceof Error) {
    message = error.message;
  } else {
    message = String(error);
  }
  process.stderr.write(`huitong: error: ${message.split('\n')[0]}\n`);
  process.exit(1);
}

/** Wraps a command's action so that it reports failures the one way. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      reportFailure(error);
    }
  };
}
