// A dApp's first steps on Folio with stock polkadot-js: connect, read a balance, transfer,
// and watch events.
//
//   cargo run --release -p folio-node -- --dev        # terminal 1: a dev chain
//   npm ci --prefix examples/polkadot-js               # once
//   node examples/polkadot-js/transfer.mjs             # terminal 2: this script
//
// WS_URL overrides the node address (default ws://127.0.0.1:9944).

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const url = process.env.WS_URL ?? 'ws://127.0.0.1:9944';
const api = await ApiPromise.create({ provider: new WsProvider(url), throwOnConnect: true });
const [chain, header] = await Promise.all([api.rpc.system.chain(), api.rpc.chain.getHeader()]);
console.log(`connected to ${chain} at ${url}: ${api.runtimeVersion.specName}/${api.runtimeVersion.specVersion}, best block #${header.number}`);

// Dev accounts; on a real chain load the dApp user's key (or use a browser extension signer).
const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');

// Read a balance: System.Account holds the nonce and the balances.
const { nonce, data } = await api.query.system.account(alice.address);
console.log(`Alice ${alice.address}: nonce ${nonce}, free ${data.free.toHuman()}, reserved ${data.reserved}, frozen ${data.frozen}`);
console.log(`existential deposit ${api.consts.balances.existentialDeposit.toHuman()}`);

// Watch events: every event of every new block, as it is imported.
const unsubscribeEvents = await api.query.system.events((records) => {
  for (const { phase, event } of records) {
    console.log(`  event ${event.section}.${event.method}(${event.data.map(String).join(', ')}) [${phase}]`);
  }
});

// Transfer 1 FOLIO (12 decimals) to Bob; the status callback follows it to finalization.
const amount = 10n ** BigInt(api.registry.chainDecimals[0]);
const transfer = api.tx.balances.transferKeepAlive(bob.address, amount);
const { partialFee } = await transfer.paymentInfo(alice);
console.log(`transferring ${amount} to Bob, estimated fee ${partialFee.toHuman()}`);
await new Promise((resolve, reject) => {
  transfer.signAndSend(alice, ({ status, events, dispatchError }) => {
    console.log(`status ${status.type}`);
    if (dispatchError) {
      const { section, name, docs } = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : {};
      reject(new Error(section ? `${section}.${name}: ${docs.join(' ')}` : dispatchError.toString()));
    } else if (status.isFinalized) {
      console.log(`finalized in ${status.asFinalized.toHex()}; the transfer's events: ${events.map(({ event }) => `${event.section}.${event.method}`).join(', ')}`);
      resolve();
    } else if (status.isInvalid || status.isDropped || status.isUsurped) {
      reject(new Error(status.type));
    }
  }).catch(reject);
});

const after = await api.query.system.account(alice.address);
console.log(`Alice: nonce ${after.nonce}, free ${after.data.free.toHuman()}`);
unsubscribeEvents();
await api.disconnect();
