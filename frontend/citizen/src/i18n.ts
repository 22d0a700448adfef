/** Chinese first, English available: the public pages' own texts (no staff dictionary is loaded). */

const zh = {
  appName: '河北省优化营商环境 · 诉求服务',
  navSubmit: '我要反映',
  navTrack: '查询进度',
  switchTo: 'English',
  loading: '正在加载…',
  required: '必填',
  optionalMark: '（选填）',
  submitTitle: '反映问题',
  submitIntro: '请写清楚发生了什么、在哪里、涉及哪个部门或窗口。提交后您会得到一个查询码，凭码可随时查看办理进度。',
  title: '标题',
  content: '具体情况',
  city: '所在地区',
  enterprise: '企业名称',
  contactName: '联系人',
  contactPhone: '手机号',
  contactEmail: '电子邮箱',
  contacts: '联系方式（选填）',
  contactHint: '联系方式只用于办理和告知进展，不会公开。凭手机号后四位可查看您提交的全文。',
  colon: '：',
  notifyLegend: '办理进展告知',
  notifyNone: '不需要告知',
  notifySms: '短信告知（需填写手机号）',
  notifyEmail: '邮件告知（需填写邮箱）',
  notifyConsent: '选择短信或邮件即表示您同意我们通过该方式告知受理、交办、办结和答复情况。',
  needPhone: '选择短信告知需填写手机号',
  needEmail: '选择邮件告知需填写邮箱',
  honeypot: '网址（请勿填写）',
  send: '提交',
  sending: '正在提交…',
  submitted: '提交成功',
  folded: '24 小时内您已提交过相同内容，这是原来的查询码。',
  yourCode: '您的查询码',
  keepCode: '请截图或抄下查询码，凭码查询办理进度。',
  copy: '复制查询码',
  copied: '已复制',
  trackNow: '查看办理进度',
  submitAnother: '再反映一个问题',
  trackTitle: '查询办理进度',
  codeLabel: '查询码',
  codeHint: '16 位字母和数字，例如 K7QM-2XPD-9HTR-W4NB',
  lookUp: '查询',
  notFound: '未找到该查询码，请核对后重试。',
  status: '当前状态',
  stages: '办理流程',
  unit: '责任单位',
  expected: '预计办结',
  replies: '答复',
  noReplies: '暂无答复。',
  onIssue: '对该问题的答复',
  timeline: '办理记录',
  submittedAt: '提交时间',
  feedbackTitle: '评价办理结果',
  rating: '满意程度',
  ratings: ['很不满意', '不满意', '一般', '满意', '很满意'],
  comment: '意见（选填）',
  sendFeedback: '提交评价',
  thanks: '感谢您的评价！',
  yourRating: '您的评价',
  followupPending: '您的意见已转办公室处理，我们会尽快答复。',
  followupReopened: '根据您的意见，已重新办理。',
  appealTitle: '对答复有异议',
  appealHint: '如对以上答复仍有异议，可申诉一次，办公室将重新研究。',
  appealReason: '申诉理由',
  sendAppeal: '提交申诉',
  appealed: '您已申诉',
  revealTitle: '查看我提交的全文',
  revealHint: '输入提交时所留手机号的后四位。',
  phoneTail: '手机号后四位',
  reveal: '查看',
  yourText: '您提交的内容',
  failed: '操作未成功',
  retry: '请稍后重试。',
  offline: '网络连接失败，请检查网络后重试。',
  preview: '预览：提交人看到的页面',
  statuses: {
    submitted: '已提交',
    accepted: '已受理',
    processing: '办理中',
    closed: '已办结',
    cancelled: '已撤销',
    rejected: '不予受理',
  },
};

export type Texts = typeof zh;

const en: Texts = {
  appName: 'Hebei Business Environment · Public Service',
  navSubmit: 'Report a problem',
  navTrack: 'Track',
  switchTo: '中文',
  loading: 'Loading…',
  required: 'required',
  optionalMark: ' (optional)',
  submitTitle: 'Report a problem',
  submitIntro:
    'Say what happened, where, and which office or counter. You will get a tracking code to follow your case at any time.',
  title: 'Title',
  content: 'What happened',
  city: 'Region',
  enterprise: 'Enterprise',
  contactName: 'Contact name',
  contactPhone: 'Mobile phone',
  contactEmail: 'Email',
  contacts: 'Contacts (optional)',
  colon: ': ',
  contactHint:
    'Contacts are used only to handle your case and tell you of progress, never published. The last four digits of your phone show your full text later.',
  notifyLegend: 'Progress updates',
  notifyNone: 'No updates',
  notifySms: 'By SMS (needs a phone number)',
  notifyEmail: 'By email (needs an email address)',
  notifyConsent:
    'Choosing SMS or email means you agree to be told that way when your case is accepted, assigned, closed or answered.',
  needPhone: 'SMS updates need a phone number',
  needEmail: 'Email updates need an email address',
  honeypot: 'Website (leave empty)',
  send: 'Submit',
  sending: 'Submitting…',
  submitted: 'Submitted',
  folded: 'You sent the same text within 24 hours: here is its tracking code.',
  yourCode: 'Your tracking code',
  keepCode: 'Keep this code (take a screenshot): it is how you follow your case.',
  copy: 'Copy the code',
  copied: 'Copied',
  trackNow: 'Follow progress',
  submitAnother: 'Report another problem',
  trackTitle: 'Track your case',
  codeLabel: 'Tracking code',
  codeHint: '16 letters and digits, e.g. K7QM-2XPD-9HTR-W4NB',
  lookUp: 'Look up',
  notFound: 'No case has this code: please check it and try again.',
  status: 'Status',
  stages: 'Stages',
  unit: 'Responsible unit',
  expected: 'Expected by',
  replies: 'Replies',
  noReplies: 'No reply yet.',
  onIssue: 'Reply on the matter',
  timeline: 'History',
  submittedAt: 'Submitted',
  feedbackTitle: 'Rate the result',
  rating: 'How satisfied are you?',
  ratings: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
  comment: 'Comment (optional)',
  sendFeedback: 'Send rating',
  thanks: 'Thank you for your rating!',
  yourRating: 'Your rating',
  followupPending: 'Your view went to the office, who will answer soon.',
  followupReopened: 'On your view, the case was reopened.',
  appealTitle: 'Disagree with the answer',
  appealHint: 'If the answer does not settle it, you may appeal once and the office will look again.',
  appealReason: 'Why',
  sendAppeal: 'Appeal',
  appealed: 'You appealed',
  revealTitle: 'See your full submission',
  revealHint: 'Enter the last four digits of the phone number you gave.',
  phoneTail: 'Last four digits',
  reveal: 'Show',
  yourText: 'What you sent',
  failed: 'That did not work',
  retry: 'Please try again later.',
  offline: 'No connection: check the network and try again.',
  preview: 'Preview: the page the submitter sees',
  statuses: {
    submitted: 'Submitted',
    accepted: 'Accepted',
    processing: 'In progress',
    closed: 'Closed',
    cancelled: 'Cancelled',
    rejected: 'Not accepted',
  },
};

export type Lang = 'zh' | 'en';
const KEY = 'rectify-public-lang';

export function currentLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'zh') return asked;
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

export function texts(lang: Lang): Texts {
  return lang === 'en' ? en : zh;
}

export function formatDate(value: string, lang: Lang, withTime = false): string {
  const options: Intl.DateTimeFormatOptions = { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' };
  if (withTime) Object.assign(options, { hour: '2-digit', minute: '2-digit' });
  // a bare date (YYYY-MM-DD) is a day in Asia/Shanghai, not midnight UTC
  const moment = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+08:00`) : new Date(value);
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', options).format(moment);
}
