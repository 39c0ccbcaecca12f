// Bills walkthrough: a commercial bill's life on Folio with stock polkadot-js (@polkadot/api 16.5.6).
//
// Against a dev chain (`cargo run --release -p folio-node -- --dev`), from the repository root:
//   npm ci --prefix tests/js
//   node tests/js/bills_walkthrough.mjs                  # WS_URL=ws://… for another node
// Run by tests/bills_walkthrough_runs_as_written.rs. Prints each step; the last line is "OK".
// It takes the bill ids from the events, so it can be run again on the same chain.
//
// The story: Alice draws a bill on Bob in favour of Charlie; Bob accepts, holding a margin;
// Charlie endorses it to Dave, Dave to Eve (and cannot sell it to Ferdie while Eve has not
// signed); Eve discounts it to Ferdie, who pays the price in the same extrinsic; at maturity
// Ferdie presents it and Bob pays. Then Charlie draws a bill on Dave to Eve, Eve endorses it to
// Ferdie, Dave refuses to pay (insufficient funds), and recourse walks back: Ferdie ← Eve ←
// Charlie ← Dave. Last, Dave draws a bill on Bob to Charlie presented automatically at
// maturity, with Ferdie's aval for Bob: the chain presents it, Bob refuses (disputed), Charlie
// is paid by the guarantor Ferdie, who recovers from Bob. The lists come in pages.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

const WS_URL = process.env.WS_URL ?? 'ws://127.0.0.1:9944';
const UNIT = 10n ** 12n; // 1 FOLIO (12 decimals)

const watchdog = setTimeout(() => {
  console.error('timed out');
  process.exit(1);
}, Number(process.env.TIMEOUT_MS ?? 180_000));
watchdog.unref();

function check(condition, message) {
  if (!condition) {
    throw new Error(`check failed: ${message}`);
  }
}

const api = await ApiPromise.create({ provider: new WsProvider(WS_URL), throwOnConnect: true, noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((name) => {
  const pair = keyring.addFromUri(`//${name}`);
  pair.name = name;
  return pair;
});

/** Signs and sends `tx`; resolves when it is in a block with its events and dispatch error (if any). */
function send(tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError, internalError }) => {
      if (internalError) {
        reject(internalError);
      } else if (status.isInBlock) {
        resolve({ blockHash: status.asInBlock, events: events.map(({ event }) => event), dispatchError });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`status ${status.type}`));
      }
    }).catch(reject);
  });
}

/** The fee `who` paid in these events. */
function feeOf(events, who) {
  const paid = events.find((e) => api.events.transactionPayment.TransactionFeePaid.is(e));
  check(paid && paid.data.who.toString() === who.address, `${who.name} paid a fee`);
  return paid.data.actualFee.toBigInt();
}

/** `tx` by `who` succeeds; returns its bills events (also printed) and the fee paid. */
async function ok(what, tx, who) {
  const { events, dispatchError, blockHash } = await send(tx, who);
  check(!dispatchError, `${what}: ${dispatchError?.toString()}`);
  check(events.some((e) => api.events.system.ExtrinsicSuccess.is(e)), `${what}: ExtrinsicSuccess`);
  const bills = events.filter((e) => e.section === 'bills');
  const header = await api.rpc.chain.getHeader(blockHash);
  console.log(`#${header.number} ${what} by ${who.name}: ${bills.map((e) => `${e.method}${JSON.stringify(e.data.toHuman())}`).join(', ')}`);
  return { bills, fee: feeOf(events, who), events };
}

/** `tx` by `who` fails with the bills error `name`. */
async function fails(what, tx, who, name) {
  const { events, dispatchError } = await send(tx, who);
  check(dispatchError?.isModule, `${what}: expected a module error, got ${dispatchError?.toString()}`);
  const { section, name: got } = api.registry.findMetaError(dispatchError.asModule);
  check(section === 'bills' && got === name, `${what}: expected bills.${name}, got ${section}.${got}`);
  check(!events.some((e) => e.section === 'bills'), `${what}: no bills event`);
  console.log(`${what} by ${who.name}: refused with bills.${got}`);
}

/** `(free, reserved)` of `who`. */
async function balance(who) {
  const { data } = await api.query.system.account(who.address);
  return { free: data.free.toBigInt(), reserved: data.reserved.toBigInt() };
}

/** The first bills event called `method`. */
function event(bills, method) {
  const found = bills.find((e) => e.method === method);
  check(found, `a ${method} event`);
  return found.data;
}

try {
  console.log(`connected to ${api.runtimeChain} ${api.runtimeVersion.specName}/${api.runtimeVersion.specVersion}`);
  // The bills pallet's calls, storage and runtime API, as polkadot-js decorates them.
  check(typeof api.tx.bills.issue === 'function', 'api.tx.bills.issue');
  check(typeof api.query.bills.bills === 'function', 'api.query.bills.bills');
  check(typeof api.call.billsApi?.bill === 'function', 'api.call.billsApi.bill');
  const rangeUnit = api.consts.bills?.rangeUnit?.toBigInt?.() ?? UNIT / 100n;

  // Maturity is a block time (milliseconds): 15 seconds from now on this dev chain.
  const maturity = Date.now() + 15_000;

  // --- 1. Alice draws a bill of 1,000 FOLIO on Bob in favour of Charlie -------------------
  const face = 1_000n * UNIT;
  let r = await ok('issue', api.tx.bills.issue(bob.address, charlie.address, face, maturity, false, false, []), alice);
  const bill = event(r.bills, 'BillIssued').bill.toNumber();

  // --- 2. two-phase acceptance: Alice asks, Bob accepts holding a 400 FOLIO margin ----------
  await ok('request_acceptance', api.tx.bills.requestAcceptance(bill), alice);
  const awaitingBob = await api.call.billsApi.awaiting(bob.address);
  console.log(`api.call.billsApi.awaiting(Bob) = ${JSON.stringify(awaitingBob.toHuman())}`);
  check(awaitingBob.length === 1 && awaitingBob[0].isAcceptance, 'Bob is asked to accept');
  const margin = 400n * UNIT;
  const bobBefore = await balance(bob);
  r = await ok('accept', api.tx.bills.accept(bill, margin), bob);
  const bobAfter = await balance(bob);
  check(bobAfter.reserved === bobBefore.reserved + margin, 'the margin is held');
  check(bobAfter.free === bobBefore.free - margin - r.fee, 'the margin leaves Bob\'s free balance');

  // --- 3. delivery: Charlie holds all of it -------------------------------------------------
  r = await ok('deliver', api.tx.bills.deliver(bill), alice);
  const units = event(r.bills, 'BillDelivered').units.toNumber();
  check(BigInt(units) * rangeUnit === face, 'units × 0.01 FOLIO = face');
  await fails('present before maturity', api.tx.bills.present(bill, 0), charlie, 'NotMature');

  // --- 4. endorsed twice: Charlie → Dave → Eve ---------------------------------------------
  await ok('endorse to Dave', api.tx.bills.endorse(bill, 0, units, dave.address), charlie);
  await ok('sign', api.tx.bills.sign(bill, 0), dave);
  await ok('endorse to Eve', api.tx.bills.endorse(bill, 0, units, eve.address), dave);
  // No double sale: the pending endorsement locks the bill.
  await fails('endorse the same bill to Ferdie', api.tx.bills.endorse(bill, 0, units, ferdie.address), dave, 'Locked');
  await fails('offer the same bill to Ferdie', api.tx.bills.offerDiscount(bill, 0, units, ferdie.address, 900n * UNIT), dave, 'Locked');
  await ok('sign', api.tx.bills.sign(bill, 0), eve);
  let range = (await api.query.bills.ranges(bill, 0)).unwrap();
  console.log(`api.query.bills.ranges(${bill}, 0) = ${JSON.stringify(range.toHuman())}`);
  check(range.holder.toString() === eve.address, 'Eve holds the bill');
  check(range.endorsers.map(String).join() === [charlie.address, dave.address].join(), 'chain: Charlie, Dave');

  // --- 5. discount: price and bill move together -------------------------------------------
  const price = 990n * UNIT;
  await ok('offer_discount', api.tx.bills.offerDiscount(bill, 0, units, ferdie.address, price), eve);
  const [eveBefore, ferdieBefore] = [await balance(eve), await balance(ferdie)];
  r = await ok('take_discount', api.tx.bills.takeDiscount(bill, 0, price), ferdie);
  const [eveAfter, ferdieAfter] = [await balance(eve), await balance(ferdie)];
  check(eveAfter.free === eveBefore.free + price, 'Eve received the price');
  check(ferdieAfter.free === ferdieBefore.free - price - r.fee, 'Ferdie paid the price');
  range = (await api.query.bills.ranges(bill, 0)).unwrap();
  check(range.holder.toString() === ferdie.address, 'Ferdie holds the bill');

  // --- a second bill, to be dishonoured: Charlie draws on Dave to Eve; Eve endorses to Ferdie
  const face2 = 500n * UNIT;
  r = await ok('issue', api.tx.bills.issue(dave.address, eve.address, face2, maturity, false, true, []), charlie);
  const bill2 = event(r.bills, 'BillIssued').bill.toNumber();
  await ok('request_acceptance', api.tx.bills.requestAcceptance(bill2), charlie);
  await ok('accept', api.tx.bills.accept(bill2, 0), dave);
  r = await ok('deliver', api.tx.bills.deliver(bill2), charlie);
  const units2 = event(r.bills, 'BillDelivered').units.toNumber();
  await ok('endorse to Ferdie', api.tx.bills.endorse(bill2, 0, units2, ferdie.address), eve);
  await ok('sign', api.tx.bills.sign(bill2, 0), ferdie);

  // --- a third bill, presented automatically, with an aval: Dave draws on Bob to Charlie -----
  const face3 = 200n * UNIT;
  r = await ok('issue_with_auto_presentment', api.tx.bills.issueWithAutoPresentment(bob.address, charlie.address, face3, maturity, false, false, []), dave);
  const bill3 = event(r.bills, 'BillIssued').bill.toNumber();
  check(r.bills.some((e) => e.method === 'AutoPresentmentChosen'), 'automatic presentment chosen at issue');
  await ok('request_acceptance', api.tx.bills.requestAcceptance(bill3), dave);
  await ok('accept', api.tx.bills.accept(bill3, 0), bob);
  await ok('deliver', api.tx.bills.deliver(bill3), dave);
  // An aval is for a party that signed the bill: Eve did not; Bob (the acceptor) did.
  await fails('aval for Eve (never signed)', api.tx.bills.guarantee(bill3, eve.address), ferdie, 'NotASigner');
  r = await ok('guarantee (aval for Bob)', api.tx.bills.guarantee(bill3, bob.address), ferdie);
  check(event(r.bills, 'Guaranteed').forParty.toString() === bob.address, 'Ferdie guarantees Bob');

  // --- 6. maturity: seal blocks (small transfers) until block time reaches it ---------------
  while ((await api.query.timestamp.now()).toNumber() < maturity) {
    await send(api.tx.balances.transferKeepAlive(bob.address, UNIT / 1000n), alice);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`block time ${(await api.query.timestamp.now()).toNumber()} ≥ maturity ${maturity}`);

  // --- 7. payment at maturity: Ferdie presents, Bob pays (400 from the margin, 600 free) ----
  await ok('present', api.tx.bills.present(bill, 0), ferdie);
  const [bobBeforePay, ferdieBeforePay] = [await balance(bob), await balance(ferdie)];
  r = await ok('pay', api.tx.bills.pay(bill, 0), bob);
  const [bobAfterPay, ferdieAfterPay] = [await balance(bob), await balance(ferdie)];
  const paid = event(r.bills, 'Paid');
  check(paid.amount.toBigInt() === face && paid.fromMargin.toBigInt() === margin && paid.onTime.isTrue, 'paid on time, margin first');
  check(ferdieAfterPay.free === ferdieBeforePay.free + face, 'Ferdie received the face amount');
  check(bobAfterPay.reserved === bobBeforePay.reserved - margin, 'the margin was used');
  check(bobAfterPay.free === bobBeforePay.free - (face - margin) - r.fee, 'Bob paid the rest');
  check(r.bills.some((e) => e.method === 'BillClosed'), 'the bill is closed');

  // --- 8. dishonour and recourse ------------------------------------------------------------
  await ok('present', api.tx.bills.present(bill2, 0), ferdie);
  r = await ok('refuse_payment', api.tx.bills.refusePayment(bill2, 0, 'InsufficientFunds'), dave);
  check(event(r.bills, 'PaymentDishonoured').reason.isInsufficientFunds, 'the reason is recorded');
  await fails('claim recourse from Alice (never signed)', api.tx.bills.claimRecourse(bill2, 0, alice.address), ferdie, 'NotLiable');
  for (const [holder, payer] of [[ferdie, eve], [eve, charlie], [charlie, dave]]) {
    await ok(`claim_recourse against ${payer.name}`, api.tx.bills.claimRecourse(bill2, 0, payer.address), holder);
    const [holderBefore, payerBefore] = [await balance(holder), await balance(payer)];
    r = await ok('pay_recourse', api.tx.bills.payRecourse(bill2, 0), payer);
    const [holderAfter, payerAfter] = [await balance(holder), await balance(payer)];
    // The acceptor's payment closes the bill: the drawer (Charlie) gets its issue deposit back.
    const refund = payer === dave ? api.consts.bills.issueDeposit.toBigInt() : 0n;
    check(holderAfter.free === holderBefore.free + face2 + refund, `${holder.name} was paid ${face2}`);
    check(payerAfter.free === payerBefore.free - face2 - r.fee, `${payer.name} paid ${face2}`);
    check(event(r.bills, 'RecoursePaid').settled.isTrue === (payer === dave), 'settled only by the acceptor');
  }

  // --- 9. automatic presentment: nobody presents bill 3; the chain's sweep does ------------
  // (each block's hook looks at 16 bills from a cursor: seal blocks until it reaches bill 3)
  for (let i = 0; i < 60 && !(await api.query.bills.ranges(bill3, 0)).unwrap().state.isPaymentPending; i += 1) {
    await send(api.tx.balances.transferKeepAlive(bob.address, UNIT / 1000n), alice);
  }
  range = (await api.query.bills.ranges(bill3, 0)).unwrap();
  console.log(`api.query.bills.ranges(${bill3}, 0) = ${JSON.stringify(range.toHuman())}`);
  check(range.state.isPaymentPending, 'the chain presented bill 3 at maturity');
  r = await ok('refuse_payment', api.tx.bills.refusePayment(bill3, 0, 'Disputed'), bob);
  check(event(r.bills, 'PaymentDishonoured').reason.isDisputed, 'disputed');

  // --- 10. the guarantor pays in recourse and recovers from the acceptor only ----------------
  await ok('claim_recourse against Ferdie (guarantor)', api.tx.bills.claimRecourse(bill3, 0, ferdie.address), charlie);
  r = await ok('pay_recourse', api.tx.bills.payRecourse(bill3, 0), ferdie);
  check(event(r.bills, 'RecoursePaid').settled.isFalse, 'a guarantor\'s payment does not settle');
  await fails('claim recourse from Dave (the drawer)', api.tx.bills.claimRecourse(bill3, 0, dave.address), ferdie, 'NotLiable');
  await ok('claim_recourse against Bob', api.tx.bills.claimRecourse(bill3, 0, bob.address), ferdie);
  r = await ok('pay_recourse', api.tx.bills.payRecourse(bill3, 0), bob);
  check(event(r.bills, 'RecoursePaid').settled.isTrue, 'the acceptor settles');

  // --- 11. the runtime API: each bill's whole life in one answer -----------------------------
  for (const id of [bill, bill2, bill3]) {
    const view = (await api.call.billsApi.bill(id)).unwrap();
    check(view.bill.state.isClosed, `bill ${id} is closed`);
    console.log(`api.call.billsApi.bill(${id}): ${view.bill.state.type}, ranges ${view.ranges.map(([start, range]) => `${start}: ${range.state.type} by ${range.holder}`).join(', ')}`);
    for (const entry of view.history) {
      console.log(`  #${entry.block} at ${entry.time}: ${entry.event.type}`);
    }
  }
  const bobCredit = await api.call.billsApi.acceptorCredit(bob.address);
  const daveCredit = await api.call.billsApi.acceptorCredit(dave.address);
  console.log(`api.call.billsApi.acceptorCredit: Bob ${JSON.stringify(bobCredit.toHuman())}, Dave ${JSON.stringify(daveCredit.toHuman())}`);
  check(bobCredit.onTime.toNumber() >= 1, 'Bob paid on time');
  check(daveCredit.dishonored.toNumber() >= 1 && daveCredit.late.toNumber() >= 1, 'Dave dishonoured, then paid late');
  const billsOfFerdie = (await api.call.billsApi.billsOf(ferdie.address)).map((id) => id.toNumber());
  check(billsOfFerdie.includes(bill) && billsOfFerdie.includes(bill2), 'Ferdie took part in both bills');
  const holdings = await api.call.billsApi.holdings(ferdie.address);
  console.log(`api.call.billsApi.holdings(Ferdie) = bills ${holdings.map(([id]) => id.toNumber()).join(', ')}`);
  check(holdings.some(([id]) => id.toNumber() === bill), 'Ferdie holds the paid bill');

  // --- 12. pages: at most `limit` (≤ 100) a call, in the order of the full lists -------------
  const all = (await api.call.billsApi.billsOf(ferdie.address)).map((id) => id.toNumber());
  const pages = [];
  for (let start = 0; ; start += 2) {
    const page = (await api.call.billsApi.billsOfPage(ferdie.address, start, 2)).map((id) => id.toNumber());
    check(page.length <= 2, 'a page has at most 2 ids');
    if (page.length === 0) break;
    pages.push(...page);
  }
  console.log(`api.call.billsApi.billsOfPage(Ferdie, start, 2) for start = 0, 2, … = ${pages.join(', ')}`);
  check(pages.join() === all.join(), 'the pages add up to billsOf');
  const firstHolding = await api.call.billsApi.holdingsPage(ferdie.address, 0, 1);
  check(firstHolding.length === 1 && firstHolding[0][0].toNumber() === holdings[0][0].toNumber(), 'holdingsPage(Ferdie, 0, 1) is the first holding');
  const awaitingPage = await api.call.billsApi.awaitingPage(bob.address, 0, 100);
  check(awaitingPage.length === 0, 'nothing awaits Bob');

  console.log('OK');
} finally {
  await api.disconnect();
}
