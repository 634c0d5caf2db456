// The protocol reference's test vectors (kingdee-webapi.md §2.3, §2.4) pin the signing code both the client and the simulator use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSignature, appData, gatewaySecret, kdAppSignature, loginSign, signedHeaders, signedPath } from '../../src/connectors/kingdee/signing';

const identity = {
  acctId: '65a1b2c3d4e5f6',
  userName: 'demo',
  appId: '200001_AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  appSecret: '0123456789abcdef0123456789abcdef',
  lcid: 2052,
  orgNum: 0,
};
const url = 'http://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc';

test('LoginBySign: SHA-256 of the ordinally sorted parts, SHA-1 behind a switch', () => {
  const parts = { ...identity, timestamp: '1700000000' };
  assert.equal(loginSign(parts), 'e86b777d84c090c489a4595bb60927a91b66d64a8325df8f50949cf5fc54ebf6');
  assert.equal(loginSign(parts, 'sha1'), '604b2258ba5010c95e84ea156ae5a4419f2f1914');
});

test('signed-header scheme matches the SDK vector', () => {
  assert.equal(signedPath(url), '/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc');
  assert.equal(gatewaySecret(identity.appId), 'MYCoJZeSGwXGBEGadoeaapeBWl5U7BoK');
  assert.equal(apiSignature(url, '1700000000', '1700000000', identity.appId), 'ZTM4OTkyNGQzZmJjZDhjZGRkOTg2NDY1YTI1N2VlNGY5ZTE1MzUxZmNiM2YxMWUyMjEyNWUyOTAxNTYzYzMzMw==');
  const headers = signedHeaders(url, identity, 1_700_000_000.9);
  assert.equal(headers['X-Kd-Appdata'], 'NjVhMWIyYzNkNGU1ZjYsZGVtbywyMDUyLDA=');
  assert.equal(headers['X-Kd-Signature'], 'YzkzMGNhNWE3N2QxNzhlOTMzODViM2M5ZjBkZWZlNjA1NGU1MDNjZmJiNDhlOTdiYzBiYmMwMTI4ZWNhNTVlOA==');
  assert.equal(headers['X-Api-Signature'], apiSignature(url, '1700000000', '1700000000', identity.appId));
  assert.equal(headers['x-api-timestamp'], '1700000000');
  assert.equal(headers['x-api-nonce'], '1700000000');
  assert.equal(headers['X-Api-ClientID'], '200001');
  assert.equal(headers['X-Kd-Appkey'], identity.appId);
  assert.equal(kdAppSignature(identity.appId, appData(identity), identity.appSecret), headers['X-Kd-Signature']);
});

test('an AppId without a 32-character tail gives an empty gateway secret, as the SDK does', () => {
  assert.equal(gatewaySecret('200001_short'), '');
  assert.equal(gatewaySecret('no-underscore'), '');
});
