import { Button, Tooltip } from 'antd';
import { useRef, useState } from 'react';
import type { NodeRef, ResourceView } from '../../api/catalog.js';
import { useSession } from '../../auth/session.js';
import { useI18n } from '../../i18n/index.js';
import { ApplyDrawer } from './apply-drawer.js';

/**
 * The 申请 button of a 有条件共享 resource's page (disabled, with why, for anyone but an analyst)
 * and its drawer; with `node` (another node's entry) the request is sent to that node.
 */
export function ApplyAction({
  resource,
  node,
  label,
}: {
  resource: ResourceView;
  node?: NodeRef;
  label: string;
}) {
  const { t } = useI18n();
  const { hasRole } = useSession();
  const [applying, setApplying] = useState(false);
  // The drawer unmounts on close: the focus goes back to the button that opened it.
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <Tooltip title={hasRole('analyst') ? undefined : t('apply.onlyAnalyst')}>
        <Button
          ref={button}
          type="primary"
          disabled={!hasRole('analyst')}
          onClick={() => setApplying(true)}
          data-testid="apply-open"
        >
          {label}
        </Button>
      </Tooltip>
      {applying && (
        <ApplyDrawer
          resource={resource}
          node={node}
          onClose={() => {
            setApplying(false);
            requestAnimationFrame(() => button.current?.focus());
          }}
        />
      )}
    </>
  );
}
