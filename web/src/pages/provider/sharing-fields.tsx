import { Form, Input, Radio } from 'antd';
import type { OpenType, SharingType } from '../../api/catalog.js';
import { CheckboxGroupField } from '../../components/checkbox-group-field.js';
import { useI18n } from '../../i18n/index.js';

const SHARING: SharingType[] = ['unconditional', 'conditional', 'not_shared'];
const OPEN: OpenType[] = ['unconditional', 'conditional', 'not_open'];
const METHODS = ['api', 'file', 'subscription', 'verification'] as const;

/** 共享类型/条件/方式 and 开放属性, with the catalog's rules between them checked as they are chosen. */
export function SharingFields() {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const sharing = Form.useWatch<SharingType>('sharingType', form);
  const open = Form.useWatch<OpenType>('openType', form);
  return (
    <>
      <Form.Item name="sharingType" label={t('res.sharingType')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={SHARING.map((s) => ({ value: s, label: t(`share.${s}`) }))}
        />
      </Form.Item>
      {sharing === 'conditional' && (
        <Form.Item
          name="sharingConditions"
          label={t('res.sharingConditions')}
          rules={[{ required: true, whitespace: true, message: t('pv.form.conditionsRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
      {sharing === 'not_shared' ? (
        <Form.Item
          name="legalBasis"
          label={t('res.legalBasis')}
          rules={[{ required: true, whitespace: true, message: t('pv.form.legalBasisRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      ) : (
        <Form.Item
          name="sharingMethods"
          label={t('res.sharingMethods')}
          rules={[{ required: true, type: 'array', min: 1, message: t('pv.form.methodsRequired') }]}
        >
          <CheckboxGroupField
            aria-label={t('res.sharingMethods')}
            options={METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))}
          />
        </Form.Item>
      )}
      <Form.Item
        name="openType"
        label={t('res.openType')}
        dependencies={['sharingType']}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: (_, value: OpenType) =>
              getFieldValue('sharingType') === 'not_shared' && value !== 'not_open'
                ? Promise.reject(new Error(t('pv.form.openConflict')))
                : Promise.resolve(),
          }),
        ]}
      >
        <Radio.Group optionType="button" options={OPEN.map((o) => ({ value: o, label: t(`open.${o}`) }))} />
      </Form.Item>
      {open === 'conditional' && (
        <Form.Item
          name="openConditions"
          label={t('res.openConditions')}
          rules={[{ required: true, whitespace: true, message: t('pv.form.openConditionsRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      )}
    </>
  );
}
