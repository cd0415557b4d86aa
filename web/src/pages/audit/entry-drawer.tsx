import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Typography } from 'antd';
import { type AuditNames, auditApi } from '../../api/audit.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { useI18n } from '../../i18n/index.js';
import { actorName, EMPTY_NAMES, eventName, orgName, resourceName } from './names.js';

/** One entry with its inclusion proof in the latest signed checkpoint (RFC 6962 audit path). */
export function EntryDrawer({
  index,
  names = EMPTY_NAMES,
  onClose,
}: {
  index: number;
  names?: AuditNames;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const entry = useQuery({ queryKey: ['audit-entry', index], queryFn: () => auditApi.entry(index) });
  const d = entry.data;
  return (
    <Drawer open size="large" title={t('aud.entryTitle', { index })} onClose={onClose}>
      {entry.error && <ErrorAlert error={entry.error} />}
      {d && (
        <div style={{ display: 'grid', gap: 16 }}>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              {
                key: 't',
                label: t('aud.type'),
                children: (
                  <>
                    {eventName(d.entry.type, lang)} <code>{d.entry.type}</code>
                  </>
                ),
              },
              { key: 'w', label: t('aud.time'), children: formatTime(d.entry.time, lang) },
              {
                key: 'a',
                label: t('aud.actor'),
                children: `${actorName(d.entry.actor, names, t('aud.platform'), t('aud.visitor'))}（${d.entry.actor.id}）`,
              },
              { key: 'o', label: t('aud.org'), children: orgName(d.entry.actor.orgId, names) },
              {
                key: 'r',
                label: t('aud.resources'),
                children: d.entry.resources.map((c) => `${resourceName(c, names)}（${c}）`).join('、') || '—',
              },
              { key: 'q', label: t('aud.requestId'), children: d.entry.requestId ?? '—' },
            ]}
          />
          <div>
            <Typography.Title level={2} style={{ fontSize: 15 }}>
              {t('aud.data')}
            </Typography.Title>
            <pre className="ht-json">{JSON.stringify(d.entry.data, null, 2)}</pre>
          </div>
          <div>
            <Typography.Title level={2} style={{ fontSize: 15 }}>
              {t('aud.proof')}
            </Typography.Title>
            {d.proof && d.checkpoint ? (
              <>
                <Alert
                  type="success"
                  showIcon
                  title={t('aud.included', { size: d.checkpoint.treeSize, n: d.proof.path.length })}
                  style={{ marginBottom: 8 }}
                />
                <Descriptions
                  size="small"
                  column={1}
                  bordered
                  items={[
                    { key: 'l', label: t('aud.leafHash'), children: <code>{d.proof.leafHash}</code> },
                    { key: 'r', label: t('aud.root'), children: <code>{d.checkpoint.rootHash}</code> },
                  ]}
                />
                <pre className="ht-json" data-testid="inclusion-path">
                  {d.proof.path.map((h, i) => `${i + 1}. ${h}`).join('\n')}
                </pre>
              </>
            ) : (
              <Alert type="info" showIcon title={t('aud.notYetCovered')} />
            )}
          </div>
        </div>
      )}
    </Drawer>
  );
}
