import { Alert, Checkbox, Space, Tag } from 'antd';
import type { Role } from '../../api/identity.js';
import { useI18n } from '../../i18n/index.js';

export const ALL_ROLES: Role[] = [
  'platform_admin',
  'security_officer',
  'auditor',
  'org_admin',
  'data_steward',
  'analyst',
  'catalog_reviewer',
];
/** The 三员 whose duties are kept apart: nobody holds two of them. */
export const EXCLUSIVE: Role[] = ['platform_admin', 'security_officer', 'auditor'];
export const ORG_ROLES: Role[] = ['org_admin', 'data_steward', 'analyst'];

/** The 三员 combined in a set of roles, when more than one (which the server refuses). */
export function conflicting(roles: readonly Role[]): Role[] {
  const held = EXCLUSIVE.filter((r) => roles.includes(r));
  return held.length > 1 ? held : [];
}

/** Role checkboxes with the separation-of-duties rules shown as the person chooses. */
export function RoleSelect({
  value = [],
  onChange,
  assignable,
  id,
}: {
  value?: Role[];
  onChange?: (roles: Role[]) => void;
  assignable: Role[];
  id?: string;
}) {
  const { t } = useI18n();
  const clash = conflicting(value);
  const officer = EXCLUSIVE.find((r) => value.includes(r));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} id={id}>
      <Checkbox.Group
        value={value}
        onChange={(v) => onChange?.(v as Role[])}
        options={ALL_ROLES.filter((r) => assignable.includes(r)).map((r) => ({
          value: r,
          label: (
            <span>
              {t(`role.${r}`)} {EXCLUSIVE.includes(r) && <Tag color="orange">{t('roles.exclusive')}</Tag>}
            </span>
          ),
        }))}
      />
      {clash.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('users.conflict', { roles: clash.map((r) => t(`role.${r}`)).join(' + ') })}
        />
      )}
      {clash.length === 0 && officer && value.length > 1 && (
        <Alert type="warning" showIcon title={t('users.exclusiveNote', { role: t(`role.${officer}`) })} />
      )}
      {!assignable.includes('platform_admin') && (
        <Alert type="info" showIcon title={t('users.orgRolesOnly')} />
      )}
    </Space>
  );
}
