// `erp-bridge alerts test` sends one message per configured channel and reports each channel on its own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_ALERT_PACING, type AlertConfig } from '../../src/alerts';
import { sendTestAlert, TEST_ALERT_SCHEME } from '../../src/alerts/test-alert';
import { WebhookReceiver } from './support';

let receiver: WebhookReceiver;
before(async () => {
  receiver = await WebhookReceiver.start();
});
after(async () => {
  await receiver.close();
});

test('one message to each channel; a refusing robot is reported with its answer, the others as sent', async () => {
  receiver.respond = (req) =>
    req.path.startsWith('/wecom') ? { status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } } : { status: 200, body: req.path.startsWith('/feishu') ? { code: 0 } : { errcode: 0, ok: true } };
  const config: AlertConfig = {
    ...DEFAULT_ALERT_PACING,
    channels: [
      { kind: 'dingtalk', url: `${receiver.baseUrl}/dingtalk/robot/send?access_token=t1` },
      { kind: 'wecom', url: `${receiver.baseUrl}/wecom/cgi-bin/webhook/send?key=k1` },
      { kind: 'webhook', url: `${receiver.baseUrl}/webhook/erp` },
    ],
  };
  const outcomes = await sendTestAlert(config);
  assert.deepEqual(outcomes.map((o) => [o.kind, o.delivered]), [['dingtalk', true], ['wecom', false], ['webhook', true]]);
  assert.match(outcomes[1]!.problem!, /93000/);
  assert.doesNotMatch(outcomes[1]!.problem!, /k1/, 'the robot key is not shown');
  assert.equal(receiver.requests.length, 3, 'exactly one request per channel (no retries for a test)');
  const text = JSON.stringify(receiver.requests[0]!.body);
  assert.ok(text.includes('erp-bridge'), 'the DingTalk keyword is in the message');
  assert.ok(text.includes(TEST_ALERT_SCHEME));
});
