import type { RecordCreate } from '@/api/generated/openapi';

export type Kind = RecordCreate['kind'];

/** The kinds of decision (the API's values are their Chinese names) and their i18n keys. */
export const KINDS: Record<Kind, string> = {
  约谈: 'talk',
  通报批评: 'criticism',
  诫勉谈话: 'admonition',
  责令书面检查: 'writtenReview',
  问责: 'accountability',
  其他: 'other',
};
