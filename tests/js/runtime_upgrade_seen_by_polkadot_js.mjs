// A forkless runtime upgrade as a polkadot-js dApp sees it: on a running `folio-node --dev`,
// //Alice (sudo on dev chains) authorizes the hash of the upgrade-test runtime, //Eve supplies
// the code, and the connected client — without reconnecting — sees the new spec version, reloads
// the metadata (the base fee constant changes), and keeps transacting with the new version.
//
// Run by tests/polkadot_js_sees_a_runtime_upgrade_without_restart.rs, which sets WS_URL and
// UPGRADE_WASM (the path of the spec-101 runtime). The last line printed on success is "OK".

import { format } from 'node:util';
import { readFileSync } from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';

const say = (...args) => process.stdout.write(`${format(...args)}\n`);
const check = (condition, message) => {
  if (!condition) throw new Error(`check failed: ${message}`);
};
const within = (ms, promise, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))]);

/** Signs and sends, resolves with the events once finalized; rejects on a dispatch error. */
function send(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        reject(new Error(`dispatch error: ${dispatchError.toString()}`));
      } else if (status.isFinalized) {
        resolve(events.map(({ event }) => `${event.section}.${event.method}`));
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(status.type));
      }
    }).catch(reject);
  });
}

async function main() {
  await cryptoWaitReady();
  const code = readFileSync(process.env.UPGRADE_WASM);
  const api = await ApiPromise.create({ provider: new WsProvider(process.env.WS_URL), throwOnConnect: true, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, eve] = ['//Alice', '//Bob', '//Eve'].map((uri) => keyring.addFromUri(uri));

  check(api.runtimeVersion.specVersion.toNumber() === 100, 'starts on spec 100');
  const baseFeeBefore = api.consts.transactionPayment.baseFee.toBigInt();
  await within(60_000, send(api, api.tx.balances.transferKeepAlive(bob.address, 1_000n), alice), 'transfer on v1');
  say('v1: transfer finalized; base fee', baseFeeBefore.toString());

  const seen = [];
  const upgraded = new Promise((resolve) => {
    api.rpc.state.subscribeRuntimeVersion((version) => {
      seen.push(version.specVersion.toNumber());
      if (version.specVersion.toNumber() === 101) resolve();
    });
  });

  const codeHash = blake2AsHex(code, 256);
  const authorized = await within(60_000, send(api, api.tx.sudo.sudo(api.tx.system.authorizeUpgrade(codeHash)), alice), 'authorize');
  check(authorized.includes('system.UpgradeAuthorized'), `UpgradeAuthorized in ${authorized}`);
  say('authorized', codeHash);

  const applied = await within(120_000, send(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), eve), 'apply');
  check(applied.includes('system.CodeUpdated'), `CodeUpdated in ${applied}`);
  say('code updated (%d bytes)', code.length);

  await within(30_000, upgraded, 'state_runtimeVersion notification for spec 101');
  // polkadot-js reloads the metadata on the notification; wait until it has.
  const started = Date.now();
  while (api.runtimeVersion.specVersion.toNumber() !== 101) {
    check(Date.now() - started < 30_000, 'api.runtimeVersion reaches 101');
    await new Promise((r) => setTimeout(r, 100));
  }
  const baseFeeAfter = api.consts.transactionPayment.baseFee.toBigInt();
  check(baseFeeAfter < baseFeeBefore, `the new metadata's base fee ${baseFeeAfter} < ${baseFeeBefore}`);
  say('client sees spec', api.runtimeVersion.specVersion.toNumber(), 'and the new base fee', baseFeeAfter.toString(), '; notifications', seen.join(','));

  const events = await within(60_000, send(api, api.tx.balances.transferKeepAlive(bob.address, 1_000n), alice), 'transfer on v2');
  check(events.includes('balances.Transfer'), `Transfer in ${events}`);
  say('v2: transfer finalized');
  await api.disconnect();
  say('OK');
}

main().then(
  () => process.exit(0),
  (error) => {
    say('FAILED:', error.message);
    process.exit(1);
  },
);
