import { Button } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header.js';
import { useI18n } from '../../../i18n/index.js';
import { ObjectionTable } from './objection-table.js';
import { RaiseDrawer } from './raise-drawer.js';

/** 数据异议 (workbench): the objections my organisation raised; raise one (?resource=CODE prefills it). */
export default function ObjectionsPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const preset = params.get('resource') ?? undefined;
  const [raising, setRaising] = useState(preset !== undefined);
  return (
    <div className="ht-page">
      <PageHeader
        title={t('obj.mine.title')}
        subtitle={t('obj.mine.subtitle')}
        extra={
          <Button type="primary" onClick={() => setRaising(true)} data-testid="objection-raise">
            {t('obj.raise')}
          </Button>
        }
      />
      <ObjectionTable side="consumer" />
      {raising && <RaiseDrawer resourceCode={preset} onClose={() => setRaising(false)} />}
    </div>
  );
}
