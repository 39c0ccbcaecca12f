// polkadot-js acceptance test: stock @polkadot/api 16.5.6 against a running folio-node.
//
// Run by tests/polkadot_js_works_unmodified.rs, which starts `folio-node --dev` and sets
// WS_URL. By hand: `npm ci --prefix tests/js && WS_URL=ws://127.0.0.1:9944 node tests/js/polkadot_js_works_unmodified.mjs`
// against a fresh `--dev` chain.
//
// It fails (exit status 1) on any failed check and on any warning or error the library prints
// (registry, decoration, decoding, init), since those are how polkadot-js reports a chain it only
// half understands. The last line printed on success is exactly "OK".

import { format } from 'node:util';

const WS_URL = process.env.WS_URL ?? 'ws://127.0.0.1:9944';
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 120_000);

// ---------------------------------------------------------------------------------------------
// Console capture: installed before the library is imported (it can warn at import time).
// Everything the library prints is echoed to stderr and checked. warn/error lines fail the run
// unless the current step expects them (the negative cases make rpc-core log the 1010 error).

const CANARIES = [
  /PORTABLEREGISTRY/,
  /Unknown signed extensions/,
  /RPC methods not decorated/,
  /Not decorating/,
  /Unable to decode/,
  /API\/INIT/,
  /API\/DECORATE/,
  /REGISTRY:/,
  /Unable to /,
  /MetadataApi not available/,
];
const problems = [];
let allowed = []; // regexes of warn/error lines the current step expects
const original = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...args) => {
    const line = format(...args);
    original.error.call(console, `[polkadot-js ${level}] ${line}`);
    const isCanary = CANARIES.some((re) => re.test(line));
    const isNoisy = level === 'warn' || level === 'error';
    if ((isCanary || isNoisy) && !allowed.some((re) => re.test(line))) {
      problems.push(`${level}: ${line}`);
    }
  };
}

/** Our own output goes straight to stdout, never through the captured console. */
function say(...args) {
  process.stdout.write(`${format(...args)}\n`);
}

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

function failIfProblems(where) {
  if (problems.length > 0) {
    throw new Error(`polkadot-js printed warnings/errors (${where}):\n  ${problems.join('\n  ')}`);
  }
}

const watchdog = setTimeout(() => {
  original.error.call(console, `timed out after ${TIMEOUT_MS} ms`);
  process.exit(1);
}, TIMEOUT_MS);
watchdog.unref();

const { ApiPromise, WsProvider } = await import('@polkadot/api');
const { Keyring } = await import('@polkadot/keyring');

/**
 * Signs and sends `tx` from `signer` with a status callback. Resolves with every status type
 * seen and the final (finalized) result; rejects on dispatch errors, Invalid/Dropped/Usurped,
 * and on RPC errors (for example 1010).
 */
function signAndWatch(tx, signer, options = {}, onStatus = () => {}) {
  const seen = [];
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, options, (result) => {
      seen.push(result.status.type);
      onStatus(result);
      if (result.internalError) {
        reject(new Error(`internal error on ${result.status.type}: ${result.internalError}`));
      } else if (result.dispatchError) {
        reject(new Error(`dispatch error: ${result.dispatchError.toString()}`));
      } else if (result.status.isFinalized) {
        resolve({ seen, result });
      } else if (result.status.isInvalid || result.status.isDropped || result.status.isUsurped) {
        reject(new Error(`status ${result.status.type}`));
      }
    }).catch(reject);
  });
}

/**
 * Runs `action`, which must fail with a 1010 error whose text matches `expected`. rpc-core logs
 * the failed call with console.error (twice: once per subscriber), which is expected here.
 */
async function expect1010(what, expected, action) {
  allowed = [new RegExp(`RPC-CORE: submit(AndWatch)?Extrinsic\\(.*1010: Invalid Transaction: .*${expected.source}`)];
  try {
    await action();
  } catch (error) {
    const message = String(error?.message ?? error);
    check(message.includes('1010'), `${what}: expected a 1010 error, got: ${message}`);
    check(expected.test(message), `${what}: expected ${expected}, got: ${message}`);
    say(`${what}: rejected with "${message}"`);
    return;
  } finally {
    await new Promise((r) => setTimeout(r, 100)); // let the library finish logging the error
    allowed = [];
  }
  throw new Error(`${what}: was accepted, expected 1010`);
}

const api = await ApiPromise.create({ provider: new WsProvider(WS_URL), throwOnConnect: true });
try {
  failIfProblems('ApiPromise.create');
  const { specName, specVersion, transactionVersion } = api.runtimeVersion;
  say(`connected: ${api.runtimeChain} ${specName}/${specVersion} tx ${transactionVersion}, genesis ${api.genesisHash.toHex()}, metadata v${api.runtimeMetadata.version}`);
  check(api.runtimeMetadata.version >= 14, 'metadata V14 or later');
  check(api.registry.chainSS58 === 42, `SS58 prefix 42, got ${api.registry.chainSS58}`);

  // --- metadata: every pallet's calls, events, errors, storage and constants carry docs ----
  const lookup = api.registry.lookup;
  const missingDocs = [];
  const summary = [];
  const variants = (pallet, kind, holder) => {
    if (holder.isNone) {
      return 0;
    }
    const def = lookup.getSiType(holder.unwrap().type).def;
    check(def.isVariant, `${pallet} ${kind} is an enum`);
    for (const v of def.asVariant.variants) {
      if (v.docs.length === 0) {
        missingDocs.push(`${pallet} ${kind} ${v.name.toString()}`);
      }
      if (kind !== 'errors' && v.fields.some((f) => f.name.isNone)) {
        missingDocs.push(`${pallet} ${kind} ${v.name.toString()} has unnamed fields`);
      }
    }
    return def.asVariant.variants.length;
  };
  for (const pallet of api.runtimeMetadata.asLatest.pallets) {
    const name = pallet.name.toString();
    if (pallet.docs && pallet.docs.length === 0) {
      missingDocs.push(`${name} (pallet docs)`);
    }
    const calls = variants(name, 'calls', pallet.calls);
    const events = variants(name, 'events', pallet.events);
    const errors = variants(name, 'errors', pallet.errors);
    const storage = pallet.storage.isSome ? pallet.storage.unwrap().items : [];
    for (const item of storage) {
      if (item.docs.length === 0) {
        missingDocs.push(`${name} storage ${item.name.toString()}`);
      }
    }
    for (const constant of pallet.constants) {
      if (constant.docs.length === 0) {
        missingDocs.push(`${name} constant ${constant.name.toString()}`);
      }
    }
    summary.push(`${name}#${pallet.index}: ${calls} calls, ${events} events, ${errors} errors, ${storage.length} storage, ${pallet.constants.length} constants`);
  }
  say(`pallets: ${summary.join('; ')}`);
  check(missingDocs.length === 0, `metadata items without docs:\n  ${missingDocs.join('\n  ')}`);
  for (const [section, items] of Object.entries({ system: ['remark', 'setCode'], balances: ['transferAllowDeath', 'transferKeepAlive', 'transferAll'], timestamp: ['set'] })) {
    for (const item of items) {
      check(typeof api.tx[section]?.[item] === 'function', `api.tx.${section}.${item}`);
      check(api.tx[section][item].meta.docs.length > 0, `api.tx.${section}.${item} has docs`);
    }
  }
  for (const [section, items] of Object.entries({ system: ['ExtrinsicSuccess', 'ExtrinsicFailed', 'NewAccount', 'KilledAccount', 'CodeUpdated'], balances: ['Transfer', 'Endowed', 'Withdraw', 'Deposit'] })) {
    for (const item of items) {
      check(api.events[section]?.[item] !== undefined, `api.events.${section}.${item}`);
    }
  }
  for (const [section, items] of Object.entries({ system: ['account', 'events', 'number', 'blockHash', 'parentHash', 'eventCount', 'lastRuntimeUpgrade'], balances: ['totalIssuance'], timestamp: ['now'] })) {
    for (const item of items) {
      check(typeof api.query[section]?.[item] === 'function', `api.query.${section}.${item}`);
    }
  }
  check(Object.keys(api.errors.balances ?? {}).length > 0, 'api.errors.balances');
  check(typeof api.call.accountNonceApi?.accountNonce === 'function', 'api.call.accountNonceApi.accountNonce');
  check(typeof api.call.transactionPaymentApi?.queryInfo === 'function', 'api.call.transactionPaymentApi.queryInfo');

  // --- constants --------------------------------------------------------------------------
  const existentialDeposit = api.consts.balances.existentialDeposit.toBigInt();
  const blockHashCount = api.consts.system.blockHashCount.toNumber();
  say(`consts: balances.existentialDeposit ${existentialDeposit}, system.blockHashCount ${blockHashCount}, system.ss58Prefix ${api.consts.system.ss58Prefix.toNumber()}`);
  check(existentialDeposit > 0n, 'existential deposit > 0');
  check(blockHashCount >= 4, 'blockHashCount >= 4');
  if (process.env.EXPECTED_EXISTENTIAL_DEPOSIT) {
    check(existentialDeposit === BigInt(process.env.EXPECTED_EXISTENTIAL_DEPOSIT), `existentialDeposit ${existentialDeposit} = ${process.env.EXPECTED_EXISTENTIAL_DEPOSIT}`);
  }
  if (process.env.EXPECTED_BLOCK_HASH_COUNT) {
    check(blockHashCount === Number(process.env.EXPECTED_BLOCK_HASH_COUNT), `blockHashCount ${blockHashCount} = ${process.env.EXPECTED_BLOCK_HASH_COUNT}`);
  }

  // --- accounts, nonce, fees ----------------------------------------------------------------
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  check(alice.address === '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', 'Alice address');

  const aliceBefore = await api.query.system.account(alice.address);
  const bobBefore = await api.query.system.account(bob.address);
  say(`Alice: nonce ${aliceBefore.nonce}, free ${aliceBefore.data.free}, providers ${aliceBefore.providers}; Bob free ${bobBefore.data.free}`);
  check(aliceBefore.data.free.toBigInt() > 0n, 'Alice is endowed');
  check(aliceBefore.providers.toNumber() >= 1, 'Alice has a provider');
  const runtimeNonce = await api.call.accountNonceApi.accountNonce(alice.address);
  say(`api.call.accountNonceApi.accountNonce(Alice) = ${runtimeNonce}`);
  check(runtimeNonce.toNumber() === aliceBefore.nonce.toNumber(), 'runtime nonce = stored nonce');

  const amount = 12_345_678_900n;
  const transfer = api.tx.balances.transferKeepAlive(bob.address, amount);
  const info = await transfer.paymentInfo(alice);
  say(`paymentInfo: partialFee ${info.partialFee}, weight ${info.weight.refTime ?? info.weight}, class ${info.class}`);
  check(info.partialFee.toBigInt() > 0n, 'partialFee > 0');
  check(info.class.isNormal, 'class Normal');

  // --- FRAME's balance items, fee details, derive.balances.all (Sidecar and wallets) ---------
  const locks = await api.query.balances.locks(alice.address);
  const reserves = await api.query.balances.reserves(alice.address);
  const inactiveIssuance = await api.query.balances.inactiveIssuance();
  const multiplier = await api.query.transactionPayment.nextFeeMultiplier();
  say(`balances.locks ${locks.length}, balances.reserves ${reserves.length}, balances.inactiveIssuance ${inactiveIssuance}, transactionPayment.nextFeeMultiplier ${multiplier}`);
  check(locks.length === 0 && reserves.length === 0, 'no locks and no reserves');
  check(inactiveIssuance.toBigInt() === 0n, 'inactive issuance 0');
  check(multiplier.toBigInt() === 10n ** 18n, 'fee multiplier 1.0 (FixedU128)');
  const all = await api.derive.balances.all(alice.address);
  say(`derive.balances.all: free ${all.freeBalance}, reserved ${all.reservedBalance}, locked ${all.lockedBalance}, named reserves ${all.namedReserves.length}`);
  check(all.freeBalance.toBigInt() === aliceBefore.data.free.toBigInt(), 'derive.balances.all free = System.Account free');
  check(typeof api.call.transactionPaymentApi?.queryFeeDetails === 'function', 'api.call.transactionPaymentApi.queryFeeDetails');
  // The extrinsic's bytes, as polkadot-js's own paymentInfo passes them.
  const priced = (await api.tx.balances.transferKeepAlive(bob.address, amount).signAsync(alice)).toU8a();
  const details = await api.call.transactionPaymentApi.queryFeeDetails(priced, priced.length);
  const pricedInfo = await api.call.transactionPaymentApi.queryInfo(priced, priced.length);
  check(details.inclusionFee.isSome, 'a signed transfer pays an inclusion fee');
  const { baseFee, lenFee, adjustedWeightFee } = details.inclusionFee.unwrap();
  say(`queryFeeDetails: baseFee ${baseFee}, lenFee ${lenFee}, adjustedWeightFee ${adjustedWeightFee}; queryInfo partialFee ${pricedInfo.partialFee}`);
  check(baseFee.toBigInt() + lenFee.toBigInt() + adjustedWeightFee.toBigInt() === pricedInfo.partialFee.toBigInt(), 'fee details add up to partialFee');
  failIfProblems('queries');

  // --- new heads subscription + transfer followed to finalized -------------------------------
  const heads = [];
  const unsubscribeHeads = await api.rpc.chain.subscribeNewHeads((header) => {
    heads.push({ number: header.number.toNumber(), hash: header.hash.toHex() });
  });
  const { seen, result } = await signAndWatch(transfer, alice);
  say(`transferKeepAlive statuses: ${seen.join(' -> ')}`);
  for (const status of ['Ready', 'InBlock', 'Finalized']) {
    check(seen.includes(status), `status callback saw ${status}`);
  }
  const names = result.events.map(({ event }) => `${event.section}.${event.method}`);
  say(`events: ${names.join(', ')}`);
  check(names.includes('system.ExtrinsicSuccess'), 'ExtrinsicSuccess');
  const transferEvent = result.events.find(({ event }) => api.events.balances.Transfer.is(event));
  check(transferEvent !== undefined, 'balances.Transfer event');
  const [from, to, moved] = transferEvent.event.data;
  check(from.toString() === alice.address && to.toString() === bob.address && moved.toBigInt() === amount, `Transfer(${from}, ${to}, ${moved})`);
  const feeEvent = result.events.find(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid');
  const fee = feeEvent ? feeEvent.event.data[1].toBigInt() : 0n;
  check(feeEvent !== undefined, 'transactionPayment.TransactionFeePaid');
  check(fee > 0n && fee <= info.partialFee.toBigInt(), `fee ${fee} within paymentInfo ${info.partialFee}`);

  const blockHash = result.status.asFinalized.toHex();
  const header = await api.rpc.chain.getHeader(blockHash);
  check(header.hash.toHex() === blockHash, 'header hash recomputed by polkadot-js = node hash');
  const finalizedHead = await api.rpc.chain.getFinalizedHead();
  const finalizedHeader = await api.rpc.chain.getHeader(finalizedHead);
  check(finalizedHeader.number.toNumber() >= header.number.toNumber(), 'finalized head reached the block');

  const deadline = Date.now() + 10_000;
  while (!heads.some((h) => h.number >= header.number.toNumber()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  unsubscribeHeads();
  say(`subscribeNewHeads: ${heads.map((h) => `#${h.number}`).join(' ')}`);
  const newHead = heads.find((h) => h.number === header.number.toNumber());
  check(newHead !== undefined, `subscribeNewHeads delivered #${header.number}`);
  check(newHead.hash === blockHash, 'new head hash = inclusion block hash');

  const aliceAfter = await api.query.system.account(alice.address);
  const bobAfter = await api.query.system.account(bob.address);
  say(`after: Alice nonce ${aliceAfter.nonce} free ${aliceAfter.data.free}; Bob free ${bobAfter.data.free}`);
  check(aliceAfter.nonce.toNumber() === aliceBefore.nonce.toNumber() + 1, 'nonce advanced by 1');
  check(bobAfter.data.free.toBigInt() === bobBefore.data.free.toBigInt() + amount, 'Bob received the amount');
  check(aliceAfter.data.free.toBigInt() === aliceBefore.data.free.toBigInt() - amount - fee, 'Alice paid amount + fee');
  check((await api.call.accountNonceApi.accountNonce(alice.address)).toNumber() === aliceAfter.nonce.toNumber(), 'runtime nonce after');
  failIfProblems('transfer');

  // --- negative cases --------------------------------------------------------------------------
  const nonce = aliceAfter.nonce.toNumber();
  const immortal = (overrides) => ({
    blockHash: api.genesisHash,
    genesisHash: api.genesisHash,
    nonce,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
    version: api.extrinsicType,
    ...overrides,
  });

  await expect1010('signature over the wrong spec version', /bad signature/, async () => {
    const wrongVersion = api.registry.createType('RuntimeVersion', {
      ...api.runtimeVersion.toJSON(),
      specVersion: api.runtimeVersion.specVersion.toNumber() + 1,
    });
    const tx = api.tx.balances.transferKeepAlive(bob.address, 1_000_000_000n).sign(alice, immortal({ runtimeVersion: wrongVersion }));
    await api.rpc.author.submitExtrinsic(tx);
  });

  const otherGenesis = `0x${'11'.repeat(32)}`;
  await expect1010('transaction for another genesis', /bad signature/, async () => {
    const tx = api.tx.balances.transferKeepAlive(bob.address, 1_000_000_000n).sign(alice, immortal({ blockHash: otherGenesis, genesisHash: otherGenesis }));
    await api.rpc.author.submitExtrinsic(tx);
  });

  await expect1010('stale nonce', /outdated/, () =>
    signAndWatch(api.tx.balances.transferKeepAlive(bob.address, 1_000_000_000n), alice, { nonce: nonce - 1 }));

  // A future nonce waits in the pool ("Future") and is included once the gap is filled.
  let futureSeen = null;
  const futureStatuses = [];
  const futureDone = signAndWatch(api.tx.balances.transferKeepAlive(bob.address, 2_000_000_000n), alice, { nonce: nonce + 1 }, (r) => {
    futureStatuses.push(r.status.type);
    if (r.status.isFuture && !futureSeen) {
      futureSeen = true;
    }
  });
  const futureDeadline = Date.now() + 10_000;
  while (!futureSeen && Date.now() < futureDeadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  check(futureSeen, `future-nonce transaction reported Future, saw ${futureStatuses.join(',')}`);
  const pending = await api.rpc.author.pendingExtrinsics();
  say(`future nonce ${nonce + 1}: statuses so far ${futureStatuses.join(' -> ')}, pending ${pending.length}`);
  const gap = await signAndWatch(api.tx.balances.transferKeepAlive(bob.address, 1_000_000_000n), alice, { nonce });
  say(`gap filler (nonce ${nonce}): ${gap.seen.join(' -> ')}`);
  const future = await futureDone;
  say(`future-nonce transaction: ${future.seen.join(' -> ')}`);
  check(future.result.events.some(({ event }) => api.events.balances.Transfer.is(event)), 'future tx transferred');
  const aliceEnd = await api.query.system.account(alice.address);
  check(aliceEnd.nonce.toNumber() === nonce + 2, `nonce ${aliceEnd.nonce} = ${nonce + 2}`);

  failIfProblems('negative cases');
} finally {
  await api.disconnect();
}
failIfProblems('disconnect');
say('OK');
process.exit(0);
