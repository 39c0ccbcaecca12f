// Walkthrough: upgrade a running dev chain through governance, with stock polkadot-js.
//
//   cargo run --release -p folio-node -- --dev
//   npm ci --prefix tests/js
//   UPGRADE_WASM=<path of the new runtime .wasm> node tests/js/governance_upgrade_walkthrough.mjs
//
// (The tests build a spec-101 runtime for this: see docs/governance.md.) On `--dev` the council is
// //Alice, //Bob and //Charlie. Each step prints what happened; the last line is "OK".

import { format } from 'node:util';
import { readFileSync } from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';

const say = (...args) => process.stdout.write(`${format(...args)}\n`);

/** Signs and sends; resolves with the event names once finalized, rejects on a dispatch error. */
function send(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, { nonce: -1 }, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const error = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : null;
        reject(new Error(error ? `${error.section}.${error.name}` : dispatchError.toString()));
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
  const api = await ApiPromise.create({ provider: new WsProvider(process.env.WS_URL ?? 'ws://127.0.0.1:9944') });
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, dave, eve] = ['//Alice', '//Bob', '//Dave', '//Eve'].map((uri) => keyring.addFromUri(uri));
  const council = (await api.query.governance.members()).map((m) => m.toString());
  say('1. running spec %d; council: %s', api.runtimeVersion.specVersion.toNumber(), council.join(', '));

  // 2. A council member proposes to authorize the new code's hash, with a threshold of 2 ayes.
  const codeHash = blake2AsHex(code, 256);
  const authorize = api.tx.system.authorizeUpgrade(codeHash);
  let events = await send(api, api.tx.governance.proposeMotion(2, authorize.method.toHex()), alice);
  const motion = (await api.query.governance.motionCount()).toNumber() - 1;
  say('2. motion %d proposed to authorize %s: %s', motion, codeHash, events.join(', '));

  // 3. Two members vote aye; anyone closes the motion; the call is scheduled.
  await send(api, api.tx.governance.voteMotion(motion, true), alice);
  await send(api, api.tx.governance.voteMotion(motion, true), bob);
  events = await send(api, api.tx.governance.closeMotion(motion), dave);
  if (!events.includes('governance.MotionApproved')) throw new Error(`not approved: ${events}`);
  say('3. motion approved and scheduled: %s', events.join(', '));

  // 4. The scheduler enacts it after the enactment delay (blocks); on --dev, blocks come with
  //    transactions, so a few remarks move the chain on.
  let authorized = false;
  for (let i = 0; i < 8 && !authorized; i += 1) {
    await send(api, api.tx.system.remark('0x00'), dave);
    authorized = (await api.query.system.authorizedUpgrade()).isSome;
  }
  if (!authorized) throw new Error('the upgrade was never authorized');
  say('4. enacted: System.AuthorizedUpgrade is set');

  // 5. Anyone supplies the code (free on success); the next block runs it.
  const upgraded = new Promise((resolve) => {
    api.rpc.state.subscribeRuntimeVersion((v) => v.specVersion.toNumber() > 100 && resolve(v.specVersion.toNumber()));
  });
  events = await send(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), eve);
  if (!events.includes('system.CodeUpdated')) throw new Error(`no CodeUpdated: ${events}`);
  say('5. code applied: %s', events.join(', '));
  say('6. the node now runs spec %d, without a restart', await upgraded);
  while (api.runtimeVersion.specVersion.toNumber() <= 100) await new Promise((r) => setTimeout(r, 100));

  // 7. Transactions keep flowing under the new runtime.
  events = await send(api, api.tx.balances.transferKeepAlive(bob.address, 1_000_000n), alice);
  say('7. a transfer under spec %d: %s', api.runtimeVersion.specVersion.toNumber(), events.join(', '));
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
