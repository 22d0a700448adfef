import '@citizen/citizen.css';
import { texts } from '@citizen/i18n';
import { trackView } from '@citizen/track-view';
import type { PublicSubmission, Reply } from '@citizen/types';
import { Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  data: PublicSubmission;
  /** A reply being written: shown as the newest reply, as it will appear once published. */
  draft?: string | undefined;
  draftOn?: Reply['on'];
}

/**
 * The submitter's page exactly as the public pages draw it (the same renderer and styles as /track), at a
 * phone's width, with its forms disabled.
 */
export function PublicPreview({ data, draft, draftOn = 'submission' }: Props) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  useEffect(() => {
    const text = draft?.trim();
    const shown: PublicSubmission = text
      ? { ...data, replies: [...data.replies, { id: 'draft', at: new Date().toISOString(), content: text, on: draftOn }] }
      : data;
    ref.current?.replaceChildren(trackView(shown, texts(lang), lang, null));
  }, [data, draft, draftOn, lang]);
  return (
    <div>
      <Typography.Text type="secondary">{t('intake.preview')}</Typography.Text>
      <div className="cz cz-preview" ref={ref} data-testid="public-preview" />
    </div>
  );
}
