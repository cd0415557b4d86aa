import { TranslationOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from '../i18n/index.js';

/** One button that flips between 中文 and English; its label names the other language. */
export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Button
      type="text"
      icon={<TranslationOutlined aria-hidden />}
      onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
      aria-label={`${t('lang.label')}: ${t('lang.switch')}`}
      data-testid="language-switch"
      style={dark ? { color: '#fff' } : undefined}
    >
      {t('lang.switch')}
    </Button>
  );
}
