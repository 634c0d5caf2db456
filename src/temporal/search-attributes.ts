// The one list of custom search attributes. The dev server registers exactly these, and workflows,
// the CLI and tests read them from here, so a name is never spelled twice.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const JstAsIdKey = defineSearchAttributeKey('JstAsId', SearchAttributeType.KEYWORD);
export const JstShopIdKey = defineSearchAttributeKey('JstShopId', SearchAttributeType.KEYWORD);
export const SchemeIdKey = defineSearchAttributeKey('SchemeId', SearchAttributeType.KEYWORD);
export const SyncStatusKey = defineSearchAttributeKey('SyncStatus', SearchAttributeType.KEYWORD);
export const FailedStepKey = defineSearchAttributeKey('FailedStep', SearchAttributeType.KEYWORD);
export const KingdeeBillNoKey = defineSearchAttributeKey('KingdeeBillNo', SearchAttributeType.KEYWORD);
/** Why a refund is parked or skipped, searchable as text (e.g. SyncReason='customer'). */
export const SyncReasonKey = defineSearchAttributeKey('SyncReason', SearchAttributeType.TEXT);

/** What a refund's (or a drift's) workflow starts with: operators find it by as_id, shop, scheme and status. */
export const startSearchAttributes = (a: { asId: string; shopId: string; schemeId: string; status: 'Running' | 'Drifted' }) => [
  { key: JstAsIdKey, value: a.asId },
  { key: JstShopIdKey, value: a.shopId },
  { key: SchemeIdKey, value: a.schemeId },
  { key: SyncStatusKey, value: a.status },
];

export const ALL_SEARCH_ATTRIBUTES = [
  JstAsIdKey,
  JstShopIdKey,
  SchemeIdKey,
  SyncStatusKey,
  FailedStepKey,
  KingdeeBillNoKey,
  SyncReasonKey,
] as const;

const TYPE_NAMES: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** The type as Temporal's CLI and Cloud spell it (Keyword, Text, …). */
export const searchAttributeTypeName = (type: SearchAttributeType): string => TYPE_NAMES[type];
