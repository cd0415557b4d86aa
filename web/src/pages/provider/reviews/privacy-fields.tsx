import { Form, InputNumber, Space, Switch } from 'antd';
import type { AccessRequestView, ApprovalTermsInput } from '../../../api/sharing.js';
import { useI18n } from '../../../i18n/index.js';

/** The approve form's differential-privacy fields: noise (sandbox use) and the ε budget. */
export interface PrivacyValues {
  noised?: boolean;
  noiseEpsilon?: number;
  epsilonPerDay?: number;
  epsilonTotal?: number;
}

/** The budget a request starts from (the server's default), until a reviewer sets another. */
const DEFAULT_BUDGET = { epsilonPerDay: 1, epsilonTotal: 10 };
const DEFAULT_NOISE_EPSILON = 0.5;

/** The form's initial values: the terms agreed so far, else the defaults. */
export function privacyInitial(r: AccessRequestView): PrivacyValues {
  const agreed = r.terms;
  const budget = agreed?.privacyBudget ?? DEFAULT_BUDGET;
  return {
    noised: agreed?.sandboxNoise != null,
    noiseEpsilon: agreed?.sandboxNoise?.epsilon ?? DEFAULT_NOISE_EPSILON,
    epsilonPerDay: budget.epsilonPerDay,
    epsilonTotal: budget.epsilonTotal,
  };
}

/** The approval body's `sandboxNoise` and `privacyBudget`, from the form's values. */
export function privacyTerms(
  r: AccessRequestView,
  v: PrivacyValues,
): Pick<ApprovalTermsInput, 'sandboxNoise' | 'privacyBudget'> {
  const noised = r.use === 'sandbox' && v.noised === true;
  const budget =
    (r.use === 'statistics' || noised) && v.epsilonPerDay && v.epsilonTotal
      ? { privacyBudget: { epsilonPerDay: v.epsilonPerDay, epsilonTotal: v.epsilonTotal } }
      : {};
  if (r.use !== 'sandbox') return budget;
  return { sandboxNoise: noised && v.noiseEpsilon ? { epsilon: v.noiseEpsilon } : null, ...budget };
}

/**
 * 结果加噪 and 隐私预算: for a sandbox request, whether its answers are noised and with what ε per
 * aggregate; for statistics (and noised sandbox) requests, the ε budget. At a later step the
 * reviewer can only strengthen: noise set earlier cannot be switched off, ε and budgets not raised.
 */
export function PrivacyFields({ request: r }: { request: AccessRequestView }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<PrivacyValues>();
  const noised = Form.useWatch('noised', form);
  const agreed = r.terms;
  if (r.use !== 'sandbox' && r.use !== 'statistics') return null;
  const showBudget = r.use === 'statistics' || noised === true;
  const maxEpsilon = agreed?.sandboxNoise?.epsilon ?? 10;
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }} data-testid="privacy-fields">
      {r.use === 'sandbox' && (
        <Space wrap size={16} align="start">
          <Form.Item name="noised" label={t('rev.noise')} valuePropName="checked" extra={t('rev.noiseHelp')}>
            <Switch disabled={agreed?.sandboxNoise != null} data-testid="noise-switch" />
          </Form.Item>
          {noised && (
            <Form.Item
              name="noiseEpsilon"
              label={t('rev.noiseEpsilon')}
              extra={t('rev.noiseEpsilonHelp')}
              rules={[{ required: true, message: t('rev.noiseEpsilonRequired') }]}
            >
              <InputNumber min={0.01} max={maxEpsilon} step={0.1} style={{ width: 150 }} />
            </Form.Item>
          )}
        </Space>
      )}
      {showBudget && (
        <Space wrap size={16}>
          <Form.Item name="epsilonPerDay" label={t('budget.perDay')} rules={[{ required: true }]}>
            <InputNumber
              min={0.01}
              max={agreed?.privacyBudget?.epsilonPerDay ?? 100}
              step={0.5}
              style={{ width: 150 }}
            />
          </Form.Item>
          <Form.Item name="epsilonTotal" label={t('budget.totalLimit')} rules={[{ required: true }]}>
            <InputNumber
              min={0.01}
              max={agreed?.privacyBudget?.epsilonTotal ?? 10_000}
              step={1}
              style={{ width: 150 }}
            />
          </Form.Item>
        </Space>
      )}
    </fieldset>
  );
}
