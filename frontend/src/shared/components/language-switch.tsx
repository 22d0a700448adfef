import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '@/i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select
      size="small"
      aria-label={t('app.language')}
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      onChange={(value: string) => void i18n.changeLanguage(value)}
      options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      style={{ width: 96 }}
    />
  );
}
