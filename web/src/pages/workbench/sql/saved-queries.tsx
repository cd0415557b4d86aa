import { DeleteOutlined } from '@ant-design/icons';
import { Button, Empty, List, Typography } from 'antd';
import { useI18n } from '../../../i18n/index.js';

export interface SavedQuery {
  name: string;
  sql: string;
  aliases: Record<string, string>;
  savedAt: string;
}

const KEY = 'huitong.savedQueries';

/** Saved queries live in this browser's localStorage only (there is no server-side store). */
export function loadSaved(): SavedQuery[] {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? (value as SavedQuery[]) : [];
  } catch {
    return [];
  }
}

export function storeSaved(queries: SavedQuery[]): void {
  localStorage.setItem(KEY, JSON.stringify(queries));
}

/** The list of saved queries: open one into the editor, or delete it. */
export function SavedQueries({
  queries,
  onOpen,
  onDelete,
}: {
  queries: SavedQuery[];
  onOpen: (q: SavedQuery) => void;
  onDelete: (name: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('sql.savedLocal')}
      </Typography.Paragraph>
      {queries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sql.noSaved')} />
      ) : (
        <List
          size="small"
          dataSource={queries}
          renderItem={(q) => (
            <List.Item
              actions={[
                <Button
                  key="delete"
                  size="small"
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={`${t('sql.deleteSaved')} ${q.name}`}
                  onClick={() => onDelete(q.name)}
                />,
              ]}
            >
              <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(q)}>
                {q.name}
              </Button>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
