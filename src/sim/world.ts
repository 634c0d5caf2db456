// The shared, deterministic world both simulators serve: one seed gives the same shops, SKUs,
// warehouses, Kingdee base data, audited outbound bills and Jushuitan after-sales records, and the
// records reference the outbound lines (online order line id = F_PSEH_TEXT), as the flagship scheme expects.
import { formatBeijing } from '../lib/beijing-time';
import { SeededRandom } from './random';

export interface Org { number: string; name: string }
/** A Jushuitan shop; in Kingdee one customer per shop, named after it, with F_PSEH_OrgId = its org. */
export interface Shop { shopId: number; name: string; customerNumber: string; orgNumber: string }
export interface Sku { skuId: string; name: string; price: number; batchManaged: boolean }
/** Kingdee stocks are numbered by the Jushuitan warehouse names (tenant convention). */
export interface Warehouse { name: string; whId: number }

export interface OutboundEntry { entryId: number; skuId: string; qty: number; price: number; onlineLineId: string; stock: string }
/** An audited SAL_OUTSTOCK bill: one per online order. */
export interface OutboundBill {
  fid: number; billNo: string; date: string; soId: string;
  customerNumber: string; orgNumber: string; entries: OutboundEntry[];
}

/** A Jushuitan after-sales record in its wire shape (jushuitan-refund-api.md §4, §7.5). */
export type RefundRecord = Record<string, unknown> & {
  as_id: number; modified: string; status: string; good_status: string; type: string;
  shop_id: number; shop_name: string; so_id: string; warehouse: string;
  items: Array<Record<string, unknown>>; batchs: Array<Record<string, unknown>>;
};

export interface World {
  seed: number;
  orgs: Org[];
  shops: Shop[];
  skus: Sku[];
  warehouses: Warehouse[];
  outboundBills: OutboundBill[];
  refunds: RefundRecord[];
  /** The records planted by `hostile`, in the order asked (absent when none were asked for). */
  hostile?: Array<{ asId: number; kind: HostileKind }>;
}

/**
 * Records built to be refused, parked or to test escaping; each kind is planted on one eligible record:
 * - mistypedQuantity, mistypedItems, negativeQuantity, absurdQuantity, wrongDateFormat: fail the connector's validation
 * - mistypedStatus: a status the eligibility filter cannot compare (an object)
 * - hugeRecord: 10,000 lines, too large to sync
 * - missingShopName: no shop_name, so no customer can be looked up
 * - overReturn: more returned than was shipped (Kingdee refuses the audit)
 * - injectionShop, emojiShop: shops named with quotes, SQL and emoji, which do have a Kingdee customer (they sync)
 * - unknownInjectionShop: a SQL-looking shop name with no customer (must match nothing, not everything)
 */
export const HOSTILE_KINDS = [
  'mistypedQuantity', 'mistypedItems', 'negativeQuantity', 'absurdQuantity', 'wrongDateFormat', 'mistypedStatus', 'hugeRecord',
  'missingShopName', 'overReturn', 'injectionShop', 'emojiShop', 'unknownInjectionShop',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

export const INJECTION_SHOP_NAME = "a' or '1'='1";
export const EMOJI_SHOP_NAME = `🛍️ Bob's "好物" 店 😀'); DROP TABLE BD_Customer;--`;
export const UNKNOWN_INJECTION_SHOP_NAME = "' OR ''='";
export const HUGE_RECORD_LINES = 10_000;

export interface WorldOptions {
  seed?: number;
  /** Number of after-sales records. */
  refunds?: number;
  /** Share of records that are eligible for a return bill (the rest cover every other status and type). */
  eligibleShare?: number;
  /** `modified` times are spread over [from, to]. */
  from?: Date;
  to?: Date;
  /** First as_id; tests sharing one Temporal server give each world its own range (workflow ids are per as_id). */
  asIdStart?: number;
  /** Plant one record of each of these kinds (default none: the world is unchanged). */
  hostile?: readonly HostileKind[];
}

const SHOP_NAMES = ['天猫旗舰店', '京东自营店', '拼多多专营店', "O'Neil 抖音小店", '唯品会特卖', '小红书 "好物" 店'];
const PRODUCTS = ['纯棉T恤', '羽绒服', '保温杯', '蓝牙耳机', '面霜 50ml', '儿童奶粉 900g', '维生素C片', '运动鞋', '双肩包', '洗发水'];
const NOT_ELIGIBLE: Array<Partial<RefundRecord>> = [
  { status: 'WaitConfirm', good_status: 'SELLER_RECEIVED', type: '普通退货' },
  { status: 'Cancelled', good_status: 'SELLER_RECEIVED', type: '普通退货' },
  { status: 'Merged', good_status: 'SELLER_RECEIVED', type: '普通退货' },
  { status: 'Confirmed', good_status: 'BUYER_NOT_RECEIVED', type: '仅退款' },
  { status: 'Confirmed', good_status: 'BUYER_RETURNED_GOODS', type: '普通退货' },
  { status: 'Confirmed', good_status: 'SELLER_RECEIVED', type: '补发' },
  { status: 'Confirmed', good_status: 'SELLER_RECEIVED', type: '投诉' },
];
const SURNAMES = ['张', '王', '李', '赵', '陈', '刘'];

export function generateWorld(options: WorldOptions = {}): World {
  const seed = options.seed ?? 1;
  const rnd = new SeededRandom(seed);
  const to = options.to ?? new Date('2026-01-21T00:00:00Z');
  const from = options.from ?? new Date(to.getTime() - 20 * 86_400_000);
  const eligibleShare = options.eligibleShare ?? 0.7;

  const orgs: Org[] = [{ number: '100', name: '总公司' }, { number: '101', name: '华东电商公司' }, { number: '102', name: '华南电商公司' }];
  const shops: Shop[] = SHOP_NAMES.map((name, i) => ({
    shopId: 10_001 + i, name, customerNumber: `CUST${String(i + 1).padStart(4, '0')}`, orgNumber: orgs[i % orgs.length]!.number,
  }));
  const skus: Sku[] = Array.from({ length: 40 }, (_, i) => ({
    skuId: `SKU-${String(i + 1).padStart(4, '0')}`,
    name: `${PRODUCTS[i % PRODUCTS.length]} ${['红', '蓝', '黑', '白'][i % 4]}`,
    price: rnd.int(990, 59_900) / 100,
    batchManaged: i % 3 === 0,
  }));
  const warehouses: Warehouse[] = [{ name: '主仓', whId: 1 }, { name: '销退仓', whId: 2 }, { name: '华南仓', whId: 1 }];

  const outboundBills: OutboundBill[] = [];
  const refunds: RefundRecord[] = [];
  const count = options.refunds ?? 100;
  const span = to.getTime() - from.getTime();
  let entryId = 200_000;

  for (let n = 0; n < count; n++) {
    const shop = rnd.pick(shops);
    const warehouse = rnd.pick(warehouses);
    const soId = `SO${2026_000_000 + n}`;
    const orderSkus = Array.from({ length: rnd.int(1, 3) }, () => rnd.pick(skus));
    const modified = new Date(from.getTime() + Math.floor((span * (n + rnd.next())) / count / 1000) * 1000);
    const shipped = new Date(modified.getTime() - rnd.int(3, 20) * 86_400_000);
    const received = new Date(modified.getTime() - rnd.int(60, 7200) * 1000);

    const bill: OutboundBill = {
      fid: 100_000 + n, billNo: `XSCKD${String(n + 1).padStart(6, '0')}`, date: formatBeijing(shipped).slice(0, 10),
      soId, customerNumber: shop.customerNumber, orgNumber: shop.orgNumber,
      entries: orderSkus.map((sku, i) => ({
        entryId: entryId++, skuId: sku.skuId, qty: rnd.int(1, 4), price: sku.price, onlineLineId: `${soId}-${i + 1}`, stock: warehouse.name,
      })),
    };
    outboundBills.push(bill);

    const eligible = rnd.chance(eligibleShare);
    const shape = eligible ? { status: 'Confirmed', good_status: 'SELLER_RECEIVED', type: rnd.pick(['普通退货', '拒收退货']) } : rnd.pick(NOT_ELIGIBLE);
    const asId = (options.asIdStart ?? 5_000_001) + n;
    const items = bill.entries.map((entry, i) => {
      const qty = rnd.int(1, entry.qty);
      const rQty = shape.good_status === 'SELLER_RECEIVED' ? qty : 0;
      const sku = skus.find((s) => s.skuId === entry.skuId)!;
      return {
        asi_id: asId * 10 + i, as_id: asId, sku_id: entry.skuId, i_id: entry.skuId.slice(0, 8), name: sku.name,
        properties_value: ['红色;XL', '蓝色;M', '默认'][i % 3], qty, r_qty: rQty, price: entry.price,
        amount: Math.round(entry.price * qty * 100) / 100, type: '退货', outer_oi_id: entry.onlineLineId,
        sku_type: 'normal', is_gift: false, receive_date: rQty > 0 ? formatBeijing(received) : null,
      };
    });
    const batchs = items.flatMap((item) => {
      const sku = skus.find((s) => s.skuId === item.sku_id)!;
      if (!sku.batchManaged || item.r_qty === 0) return [];
      // Sometimes split one line's return over two lots.
      const parts = item.r_qty >= 2 && rnd.chance(0.3) ? [1, item.r_qty - 1] : [item.r_qty];
      return parts.map((qty, k) => ({
        batch_no: `B${formatBeijing(shipped).slice(0, 10).replace(/-/g, '')}-${k + 1}`, sku_id: item.sku_id, qty,
        product_date: formatBeijing(new Date(shipped.getTime() - 90 * 86_400_000)).slice(0, 10),
        expiration_date: formatBeijing(new Date(shipped.getTime() + 640 * 86_400_000)).slice(0, 10),
        supplier_id: 7, supplier_name: '华东供应链',
      }));
    });
    const refund = items.reduce((sum, item) => sum + item.amount, 0);
    refunds.push({
      as_id: asId, outer_as_id: `R${9_000_000 + n}`, o_id: 3_000_000 + n, so_id: soId,
      as_date: formatBeijing(new Date(modified.getTime() - 2 * 86_400_000)),
      created: formatBeijing(new Date(modified.getTime() - 2 * 86_400_000 + 60_000)),
      modified: formatBeijing(modified), confirm_date: formatBeijing(modified),
      ...shape,
      shop_status: 'SUCCESS', order_status: 'Sent', question_type: '质量问题', remark: n % 17 === 0 ? "客户说：'质量差' -- DROP TABLE" : '',
      node: '', shop_id: shop.shopId, shop_name: shop.name, warehouse: warehouse.name, wh_id: warehouse.whId, wms_co_id: 0,
      refund: Math.round(refund * 100) / 100, payment: 0, freight: 0, logistics_company: '顺丰速运', l_id: `SF${1_000_000_000 + n}`,
      drp_co_id_from: 0, receiver_name: `${rnd.pick(SURNAMES)}先生`, receiver_mobile: `138${String(10_000_000 + n).slice(-8)}`,
      shop_buyer_id: `buyer_${n}_${rnd.int(1000, 9999)}`, ts: 1_000_000 + n,
      items, batchs,
    } as RefundRecord);
  }
  const world: World = { seed, orgs, shops, skus, warehouses, outboundBills, refunds };
  if (options.hostile && options.hostile.length > 0) plantHostile(world, options.hostile);
  return world;
}

/** Turns eligible records (from the end, so the first records stay ordinary) into the hostile kinds asked for. */
function plantHostile(world: World, kinds: readonly HostileKind[]): void {
  const targets = world.refunds.filter(isEligibleRefund).reverse();
  const take = (wanted: (r: RefundRecord) => boolean = () => true): RefundRecord => {
    const i = targets.findIndex(wanted);
    if (i < 0) throw new Error(`not enough eligible records to plant ${kinds.length} hostile ones; generate more refunds`);
    return targets.splice(i, 1)[0]!;
  };
  const addShop = (name: string): Shop => {
    const shop: Shop = { shopId: 10_001 + world.shops.length, name, customerNumber: `CUST${String(world.shops.length + 1).padStart(4, '0')}`, orgNumber: world.orgs[0]!.number };
    world.shops.push(shop);
    return shop;
  };
  const moveToShop = (refund: RefundRecord, shop: Shop): void => {
    refund.shop_id = shop.shopId;
    refund.shop_name = shop.name;
    const bill = world.outboundBills.find((b) => b.soId === refund.so_id)!;
    bill.customerNumber = shop.customerNumber;
    bill.orgNumber = shop.orgNumber;
  };
  world.hostile = kinds.map((kind) => {
    // Over-returning a lot-managed line would fail for its lot first: pick a record without lots.
    const refund = take(kind === 'overReturn' ? (r) => r.batchs.length === 0 : undefined);
    const first = refund.items[0]!;
    switch (kind) {
      case 'mistypedQuantity': first.qty = 'three'; break;
      case 'mistypedItems': (refund as Record<string, unknown>).items = 'none'; break;
      case 'negativeQuantity': first.r_qty = -2; break;
      case 'absurdQuantity': first.qty = first.r_qty = 5_000_000_000; break;
      case 'wrongDateFormat': first.receive_date = '03/01/2026 14:47'; break;
      case 'mistypedStatus': (refund as Record<string, unknown>).status = { code: 'Confirmed' }; break;
      case 'hugeRecord':
        refund.items = Array.from({ length: HUGE_RECORD_LINES }, (_, n) => ({ ...first, asi_id: refund.as_id * 100_000 + n, name: `${String(first.name)} 😀 '${n}'` }));
        refund.batchs = [];
        break;
      case 'missingShopName': delete (refund as Record<string, unknown>).shop_name; break;
      case 'overReturn': first.qty = first.r_qty = 999; break;
      case 'injectionShop': moveToShop(refund, addShop(INJECTION_SHOP_NAME)); break;
      case 'emojiShop': moveToShop(refund, addShop(EMOJI_SHOP_NAME)); break;
      case 'unknownInjectionShop': refund.shop_name = UNKNOWN_INJECTION_SHOP_NAME; break;
    }
    return { asId: refund.as_id, kind };
  });
}

/** True when the flagship scheme would make a return bill of this record (flagship-scheme.md, Eligibility). */
export function isEligibleRefund(r: RefundRecord): boolean {
  return r.status === 'Confirmed' && r.good_status === 'SELLER_RECEIVED' && !['仅退款', '补发', '投诉'].includes(r.type) &&
    Array.isArray(r.items) && r.items.some((i) => Number(i.r_qty) > 0);
}
