import { Checkbox } from 'antd';
import type { CheckboxGroupProps } from 'antd/es/checkbox';

/**
 * A Checkbox.Group as a form field: a named group (`role="group"`, `aria-label`). Form.Item gives
 * its field `aria-required` when a rule requires it, which a group of checkboxes may not carry
 * (axe: aria-allowed-attr, critical); it is dropped here: the form's rule and the label's mark
 * still say that the field is required.
 */
export function CheckboxGroupField<T = string>({
  'aria-required': _required,
  ...props
}: CheckboxGroupProps<T> & { 'aria-required'?: unknown; 'aria-label': string }) {
  return <Checkbox.Group<T> role="group" {...props} />;
}
