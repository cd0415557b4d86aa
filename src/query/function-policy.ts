import { BadRequestError } from '../errors/index.js';

// Scalar functions that reveal the engine's configuration or state rather than data.
const REVEALING = new Set(['current_setting', 'getvariable', 'getenv', 'current_query', 'duckdb_api']);

// Functions whose result's size is set by an argument rather than by the data: a count, a
// length, a width (also inside a format string) or a range of values. DuckDB builds these
// values outside its memory_limit and does not stop them on interrupt, so one call grew the
// process by gigabytes (docs/robustness.md, F2). Arguments may be computed, so capping
// literals would not hold: they are refused outright. Found by reading duckdb_functions() for
// builders whose output grows with a numeric argument, then measuring each against a 256 MB
// memory_limit: those that DuckDB caps itself (bar, to_base, equi_width_bins, max(x, n),
// arg_max(x, y, n), fixed-size ARRAY types) or that fail inside the limit stay allowed.
const UNBOUNDED = new Set([
  'range',
  'generate_series',
  'repeat',
  'list_resize',
  'array_resize',
  'printf',
  'format',
  'bitstring',
  'bitstring_agg',
  'approx_top_k',
]);

// Padding to a fixed width is common analytics (区划 and other codes), and its size is its width:
// allowed with a literal width up to this, refused with a computed or larger one.
const PADDING = new Set(['lpad', 'rpad']);
const MAX_PAD_WIDTH = 1000;

type Node = Record<string, unknown>;

/** Whether a node is an integer literal within [0, max]. */
function isSmallLiteral(node: unknown, max: number): boolean {
  const n = node as Node | undefined;
  if (n?.class !== 'CONSTANT') return false;
  const value = (n.value as { value?: unknown } | undefined)?.value;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

/**
 * Refuses a call (scalar, aggregate or window) to a function that reveals the engine's state or
 * builds a value whose size an argument sets (400 function_forbidden, naming the function).
 */
export function checkFunctionCall(node: Node): void {
  const name = String(node.function_name).toLowerCase();
  if (REVEALING.has(name))
    throw new BadRequestError('function_forbidden', `The function ${name} is not available`);
  if (UNBOUNDED.has(name))
    throw new BadRequestError(
      'function_forbidden',
      `The function ${name} is not available: the size of what it builds is set by its arguments, not by the data`,
    );
  if (PADDING.has(name) && !isSmallLiteral((node.children as unknown[] | undefined)?.[1], MAX_PAD_WIDTH))
    throw new BadRequestError(
      'function_forbidden',
      `The function ${name} needs a literal width of at most ${MAX_PAD_WIDTH}`,
    );
}
