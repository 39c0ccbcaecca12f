// Crowdfunding walkthrough (docs/pallets/crowdfunding.md) with stock @polkadot/api 16.5.6.
//
// Against a dev chain (`cargo run --release -p folio-node -- --dev`):
//   npm ci --prefix tests/js
//   node tests/js/crowdfunding_walkthrough.mjs            # WS_URL=ws://… for another node
// Run by tests/crowdfunding_walkthrough_runs_as_written.rs. It can be run again on the same
// chain: it reads every new id from the events. It exits with status 1 on any failed check;
// its last line on success is exactly "OK".
//
// The story: Root (//Alice, via sudo) trusts //Alice as a claim issuer, who gives //Charlie,
// //Dave and //Eve a KYC claim. //Bob creates two share classes and a campaign for each;
// Root approves them. Campaign A reaches its soft cap, campaign B does not. After the deadline
// anyone settles A (Bob is paid, investors get shares) and refunds B (every hold is released).
// Bob then pays a dividend on A's class and //Charlie claims his part. Last, Charlie offers
// shares for sale and //Dave buys some: shares and money move in one extrinsic.
//
// Time: the campaigns run their real windows (the runtime's MinOfferingPeriod, 21 days).
// The dev-only RPC `dev_timeTravel` moves block time forward to the start, past the deadline
// and past the dividend's record date; the next sealed block carries the new time.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const WS_URL = process.env.WS_URL ?? 'ws://127.0.0.1:9944';
const UNIT = 10n ** 12n; // 1 FOLIO
const DAY_MS = 86_400_000;

function say(...args) {
  console.log(...args);
}
function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}
const watchdog = setTimeout(() => {
  console.error('timed out');
  process.exit(1);
}, Number(process.env.TIMEOUT_MS ?? 240_000));
watchdog.unref();

const provider = new WsProvider(WS_URL);
const api = await ApiPromise.create({ provider, throwOnConnect: true });
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) =>
  keyring.addFromUri(`//${n}`),
);
const name = new Map();
for (const [p, n] of [[alice, 'Alice'], [bob, 'Bob'], [charlie, 'Charlie'], [dave, 'Dave'], [eve, 'Eve'], [ferdie, 'Ferdie']]) {
  name.set(p.address, n);
}

/** Signs, sends and waits for finalization; fails on a dispatch error (also inside sudo).
 *  Returns the events of the extrinsic and the fee its signer paid. */
function send(tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const text = dispatchError.isModule
          ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
          : dispatchError.toString();
        reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${text}`));
      } else if (status.isFinalized) {
        const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
        if (sudid && sudid.event.data.sudoResult.isErr) {
          const error = sudid.event.data.sudoResult.asErr;
          const text = error.isModule
            ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(error.asModule))
            : error.toString();
          reject(new Error(`sudo(${tx.method.args[0].section}.${tx.method.args[0].method}) failed: ${text}`));
          return;
        }
        const feeEvent = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
        const fee = feeEvent ? feeEvent.event.data.actualFee.toBigInt() : 0n;
        resolve({ events: events.map(({ event }) => event), fee, block: status.asFinalized.toHex() });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`status ${status.type}`));
      }
    }).catch(reject);
  });
}

/** The crowdfunding events of a result, printed. */
function crowdfundingEvents(result, step) {
  const events = result.events.filter((e) => e.section === 'crowdfunding');
  for (const e of events) say(`  event crowdfunding.${e.method} ${JSON.stringify(e.data.toHuman())}`);
  check(events.length > 0, `${step}: crowdfunding events`);
  return events;
}
function find(events, method) {
  const e = events.find((e) => e.method === method);
  check(e !== undefined, `event ${method}`);
  return e;
}
async function balances(pair) {
  const { data } = await api.query.system.account(pair.address);
  return { free: data.free.toBigInt(), held: data.reserved.toBigInt() };
}
const folio = (planck) => `${Number(planck) / 1e12} FOLIO`;

const blockTime = async () => Number((await api.query.timestamp.now()).toBigInt());

/** Moves block time to `moment` with `dev_timeTravel` and seals one block there (a small
 *  transfer Ferdie → Alice); returns the new block time. */
async function travelTo(moment) {
  await provider.send('dev_timeTravel', [moment]);
  await send(api.tx.balances.transferKeepAlive(alice.address, UNIT), ferdie);
  const now = await blockTime();
  check(now >= moment, `block time ${now} reached ${moment}`);
  return now;
}

try {
  const deposit = api.consts.crowdfunding?.campaignDeposit?.toBigInt?.();
  say(`connected to ${api.runtimeChain} (${api.runtimeVersion.specName}/${api.runtimeVersion.specVersion})`);

  // 1. Claims: Root trusts Alice as a claim issuer; Alice attests three investors.
  const trusted = await api.query.crowdfunding.claimIssuers(alice.address);
  if (trusted.isNone) {
    const r = await send(api.tx.sudo.sudo(api.tx.crowdfunding.addClaimIssuer(alice.address)), alice);
    find(crowdfundingEvents(r, 'addClaimIssuer'), 'ClaimIssuerAdded');
  }
  say('1. Alice is a trusted claim issuer');
  const limit = 1_000n * UNIT;
  for (const investor of [charlie, dave, eve]) {
    const r = await send(api.tx.crowdfunding.issueClaim(investor.address, 'Verified', 'Sophisticated', limit, Date.now() + 365 * DAY_MS), alice);
    find(crowdfundingEvents(r, 'issueClaim'), 'ClaimIssued');
    const status = await api.call.crowdfundingApi.investorStatus(investor.address);
    say(`   ${name.get(investor.address)}: claim valid ${status.claimValid}, headroom ${status.headroom.toHuman()}`);
    check(status.claimValid.isTrue, 'claim valid');
  }

  // 2. Bob creates two share classes and one campaign for each, then submits them.
  const classOf = {};
  for (const label of ['A', 'B']) {
    const r = await send(api.tx.crowdfunding.createShareClass(10, true, 0), bob);
    classOf[label] = find(crowdfundingEvents(r, 'createShareClass'), 'ShareClassCreated').data.shareClass.toNumber();
  }
  // They open a minute from now and run the shortest offering period the runtime allows
  // (counted from approval or the later start), and a day.
  const minOfferingPeriod = api.consts.crowdfunding.minOfferingPeriod.toNumber();
  const start = (await blockTime()) + 60_000;
  const deadline = start + minOfferingPeriod + DAY_MS;
  const campaignOf = {};
  for (const label of ['A', 'B']) {
    const terms = {
      shareClass: classOf[label],
      price: UNIT, // 1 FOLIO per share
      softCap: 300n * UNIT,
      hardCap: 400n * UNIT,
      minCommitment: 10n * UNIT,
      maxCommitment: 300n * UNIT,
      start,
      deadline,
      document: `0x${'ab'.repeat(32)}`,
    };
    const bobBefore = await balances(bob);
    const r = await send(api.tx.crowdfunding.createCampaign(terms), bob);
    const created = find(crowdfundingEvents(r, 'createCampaign'), 'CampaignCreated');
    const id = created.data.campaign.toNumber();
    campaignOf[label] = id;
    const held = created.data.deposit.toBigInt();
    if (deposit !== undefined) check(held === deposit, 'deposit = CampaignDeposit');
    const bobAfter = await balances(bob);
    check(bobAfter.held === bobBefore.held + held, 'issuer deposit held');
    check(bobAfter.free === bobBefore.free - held - r.fee, 'Bob paid deposit + fee');
    await send(api.tx.crowdfunding.submitCampaign(id), bob);
    const approved = await send(api.tx.sudo.sudo(api.tx.crowdfunding.approveCampaign(id)), alice);
    const changed = find(crowdfundingEvents(approved, 'approveCampaign'), 'CampaignStateChanged');
    check(changed.data.to.type === 'Scheduled', `campaign ${id} scheduled`);
    say(`2. campaign ${label} = #${id} (class ${classOf[label]}), deposit ${folio(held)} held, state ${changed.data.to.type}`);
  }

  // The start comes: anyone opens the campaigns (any call touching them would).
  await travelTo(start);
  for (const label of ['A', 'B']) {
    const r = await send(api.tx.crowdfunding.advanceCampaign(campaignOf[label]), ferdie);
    const opened = find(crowdfundingEvents(r, 'advanceCampaign'), 'CampaignStateChanged');
    check(opened.data.to.type === 'Open', `campaign ${label} open`);
  }
  say(`   ${new Date(start).toISOString()}: both campaigns open until ${new Date(deadline).toISOString()}`);

  // 3. Investors commit: a hold on their own balance. Eve asks 100 in A but only 50 fit.
  const commitments = [
    ['A', charlie, 200n * UNIT, 200n * UNIT],
    ['A', dave, 150n * UNIT, 150n * UNIT],
    ['A', eve, 100n * UNIT, 50n * UNIT],
    ['B', dave, 50n * UNIT, 50n * UNIT],
    ['B', eve, 100n * UNIT, 100n * UNIT],
  ];
  for (const [label, investor, requested, filled] of commitments) {
    const before = await balances(investor);
    const r = await send(api.tx.crowdfunding.commit(campaignOf[label], requested), investor);
    const committed = find(crowdfundingEvents(r, 'commit'), 'Committed');
    check(committed.data.amount.toBigInt() === filled, `filled ${filled}`);
    const after = await balances(investor);
    check(after.held === before.held + filled && after.free === before.free - filled - r.fee, 'commitment held exactly');
    say(`3. ${name.get(investor.address)} committed ${folio(filled)} of ${folio(requested)} to ${label}`);
  }
  for (const label of ['A', 'B']) {
    const c = (await api.call.crowdfundingApi.campaign(campaignOf[label])).unwrap();
    say(`   campaign ${label}: ${c.state.type}, raised ${folio(c.raised.toBigInt())} from ${c.investors} investors`);
  }
  const stored = (await api.query.crowdfunding.commitments(campaignOf.A, eve.address)).unwrap();
  check(stored.amount.toBigInt() === 50n * UNIT, 'api.query.crowdfunding.commitments');

  // 4. The deadline passes: A succeeded (400 ≥ 300), B failed (150 < 300).
  const at = await travelTo(deadline);
  const a = (await api.call.crowdfundingApi.campaign(campaignOf.A)).unwrap();
  const b = (await api.call.crowdfundingApi.campaign(campaignOf.B)).unwrap();
  say(`4. block time ${new Date(at).toISOString()}: A ${a.state.type}, B ${b.state.type}`);
  check(a.state.type === 'Succeeded' && b.state.type === 'Failed', 'A succeeded, B failed');

  // 5. Anyone settles A: the holds move to Bob, shares are minted, the deposit comes back.
  const bobBeforeSettle = await balances(bob);
  const investorsBefore = await Promise.all([charlie, dave, eve].map(balances));
  const settled = await send(api.tx.crowdfunding.settle(campaignOf.A, 10), ferdie);
  const settleEvents = crowdfundingEvents(settled, 'settle');
  check(settleEvents.filter((e) => e.method === 'CommitmentSettled').length === 3, 'three settled');
  const bobAfterSettle = await balances(bob);
  check(bobAfterSettle.free === bobBeforeSettle.free + 400n * UNIT + a.deposit.toBigInt(), 'Bob got 400 FOLIO + deposit');
  check(bobAfterSettle.held === bobBeforeSettle.held - a.deposit.toBigInt(), 'deposit released');
  const investorsAfter = await Promise.all([charlie, dave, eve].map(balances));
  [200n, 150n, 50n].forEach((n, i) => {
    check(investorsAfter[i].held === investorsBefore[i].held - n * UNIT && investorsAfter[i].free === investorsBefore[i].free, 'hold moved to Bob');
  });
  const classA = (await api.call.crowdfundingApi.shareClass(classOf.A)).unwrap();
  const capTable = await api.call.crowdfundingApi.capTable(classOf.A, 0, 100);
  say(`5. A settled: Bob +${folio(400n * UNIT)}, supply ${classA.supply} shares, cap table ${capTable.map(([who, acc]) => `${name.get(who.toString())} ${acc.balance}`).join(', ')}`);
  check(classA.supply.toBigInt() === 400n && classA.holders.toNumber() === 3, 'supply 400, 3 holders');
  const charlieShares = await api.query.crowdfunding.shares(classOf.A, charlie.address);
  check(charlieShares.unwrap().balance.toBigInt() === 200n, 'Charlie holds 200 shares');

  // 6. Anyone refunds B, in bounded batches: every hold is released.
  const refundBefore = await Promise.all([dave, eve].map(balances));
  let closed = false;
  while (!closed) {
    const r = await send(api.tx.crowdfunding.refund(campaignOf.B, 1), ferdie);
    const events = crowdfundingEvents(r, 'refund');
    closed = events.some((e) => e.method === 'CampaignStateChanged' && e.data.to.type === 'Closed');
  }
  const refundAfter = await Promise.all([dave, eve].map(balances));
  [50n, 100n].forEach((n, i) => {
    check(refundAfter[i].free === refundBefore[i].free + n * UNIT && refundAfter[i].held === refundBefore[i].held - n * UNIT, 'hold released');
  });
  const bClosed = (await api.call.crowdfundingApi.campaign(campaignOf.B)).unwrap();
  say(`6. B refunded: ${JSON.stringify(bClosed.state.toJSON())}, refunded ${folio(bClosed.refunded.toBigInt())}`);
  check(bClosed.state.isClosed && bClosed.state.asClosed.isRefunded && bClosed.raised.isZero(), 'B closed, nothing held');

  // 7. Bob announces a dividend of 100 FOLIO on A's class, record date in 3 s; Charlie claims.
  const dividend = 100n * UNIT;
  const recordDate = (await blockTime()) + 60_000;
  const created = await send(api.tx.crowdfunding.createDistribution(classOf.A, dividend, recordDate, recordDate + DAY_MS), bob);
  const distribution = find(crowdfundingEvents(created, 'createDistribution'), 'DistributionCreated').data.distribution.toNumber();
  await travelTo(recordDate);
  const claimable = (await api.call.crowdfundingApi.claimableDividend(distribution, charlie.address)).toBigInt();
  check(claimable === (dividend * 200n) / 400n, `claimable ${claimable}`);
  const charlieBefore = await balances(charlie);
  const claimed = await send(api.tx.crowdfunding.claimDividend(distribution), charlie);
  const paid = find(crowdfundingEvents(claimed, 'claimDividend'), 'DividendClaimed').data.amount.toBigInt();
  const charlieAfter = await balances(charlie);
  check(paid === claimable && charlieAfter.free === charlieBefore.free + paid - claimed.fee, 'Charlie got his dividend');
  const d = (await api.call.crowdfundingApi.distribution(distribution)).unwrap();
  say(`7. dividend #${distribution}: Charlie claimed ${folio(paid)}; claimed ${folio(d.claimed.toBigInt())}, remaining ${folio(d.remaining.toBigInt())}`);
  check(d.claimed.toBigInt() + d.remaining.toBigInt() + d.reclaimed.toBigInt() === dividend, 'claimed + remaining + reclaimed = amount');

  // 8. A secondary trade, delivery-versus-payment: Charlie offers 50 shares at 2 FOLIO to
  //    anyone the class admits (no money moves yet); Dave buys 20 of them, paying Charlie in
  //    the same extrinsic; Charlie withdraws the rest.
  const price = 2n * UNIT;
  const offered = await send(api.tx.crowdfunding.offerShares(classOf.A, 50, price, null), charlie);
  const offer = find(crowdfundingEvents(offered, 'offerShares'), 'SharesOffered').data.offer.toNumber();
  check((await api.query.crowdfunding.offeredShares(classOf.A, charlie.address)).unwrap().toBigInt() === 50n, 'offered shares set aside');
  const [charlieBeforeTrade, daveBeforeTrade] = await Promise.all([charlie, dave].map(balances));
  const bought = await send(api.tx.crowdfunding.acceptOffer(offer, 20), dave);
  const accepted = find(crowdfundingEvents(bought, 'acceptOffer'), 'OfferAccepted');
  check(accepted.data.paid.toBigInt() === 20n * price && accepted.data.remaining.toBigInt() === 30n, 'paid 40 FOLIO, 30 left');
  const [charlieAfterTrade, daveAfterTrade] = await Promise.all([charlie, dave].map(balances));
  check(charlieAfterTrade.free === charlieBeforeTrade.free + 20n * price, 'Charlie was paid');
  check(daveAfterTrade.free === daveBeforeTrade.free - 20n * price - bought.fee, 'Dave paid price + fee');
  const sharesOf = async (pair) => (await api.query.crowdfunding.shares(classOf.A, pair.address)).unwrap().balance.toBigInt();
  check((await sharesOf(charlie)) === 180n && (await sharesOf(dave)) === 170n, 'the shares moved with the money');
  const withdrawn = await send(api.tx.crowdfunding.withdrawOffer(offer), charlie);
  find(crowdfundingEvents(withdrawn, 'withdrawOffer'), 'OfferWithdrawn');
  check((await api.query.crowdfunding.offers(offer)).isNone, 'offer gone');
  say(`8. offer #${offer}: Dave bought 20 of Charlie's shares for ${folio(20n * price)}; Charlie withdrew the other 30`);
} finally {
  await api.disconnect();
}
say('OK');
process.exit(0);
