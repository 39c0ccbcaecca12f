// E-invoice walkthrough with stock polkadot-js (@polkadot/api 16.5.6): the life of one invoice
// on a `folio-node --dev` chain, as docs/pallets/einvoice.md shows it.
//
//   1. the tax authority (Root, here //Alice through Sudo) registers //Bob as an issuer;
//   2. Bob issues an invoice to //Charlie: 2 × 50 FOLIO at 19 % VAT + 1.5 × 10 FOLIO exempt
//      = 115 FOLIO net + 19 FOLIO VAT = 134 FOLIO; the chain numbers it and checks the sums;
//   3. Charlie acknowledges it and pays 50 FOLIO (the money reaches Bob in the same extrinsic);
//   4. Bob requests a red-letter credit note of 10 FOLIO + 19 % (11.9 FOLIO); the invoice is
//      paid in part, so Charlie confirms it; the credit note is its own linked invoice;
//   5. Charlie pays the rest, 72.1 FOLIO: the invoice is Settled;
//   6. Charlie (the buyer organisation) locks it for the reimbursement of //Dave and pays Dave
//      back 122.1 FOLIO; a second reimbursement is rejected with `AlreadyReimbursed`;
//   7. Charlie deducts the invoice's input tax once;
//   8. Bob files last month's declaration and the tax authority confirms it;
//   9. financing by a bank after a stranger's offer: on a second invoice //Ferdie, a stranger,
//      offers an advance of 1 unit that nothing backs; //Dave, the bank, offers 60 FOLIO all
//      the same; Bob accepts Dave's (Dave → Bob 60 FOLIO) and declines Ferdie's; Charlie pays
//      134 FOLIO: 60 to Dave (the lien ends), 74 to Bob; then a credit note of 11.9 FOLIO on
//      the paid invoice refunds Charlie in the extrinsic that issues it.
//
// Every step prints what happened, checks the events, every balance change to the unit (the
// fee is the `transactionPayment.TransactionFeePaid` event) and the `InvoicesApi` answers.
// The last line printed on success is exactly "OK".
//
// Run against a dev chain (it can be run again on the same chain):
//   cargo run --release -p folio-node -- --dev
//   npm ci --prefix tests/js && node tests/js/einvoice_walkthrough.mjs
// WS_URL selects another node (default ws://127.0.0.1:9944). Run by
// tests/einvoice_walkthrough_runs_as_written.rs.

import { format } from 'node:util';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a } from '@polkadot/util';

const WS_URL = process.env.WS_URL ?? 'ws://127.0.0.1:9944';
const UNIT = 1_000_000_000_000n; // 1 FOLIO (12 decimals)
const SERIES = stringToU8a('INV1');
/** A VATEX exemption reason code (EN 16931 BT-121), zero-padded to its 24 bytes. */
const vatex = (code) => { const bytes = new Uint8Array(24); bytes.set(stringToU8a(code)); return bytes; };

const say = (...args) => process.stdout.write(`${format(...args)}\n`);
const check = (condition, message) => {
  if (!condition) throw new Error(`check failed: ${message}`);
};
const folio = (amount) => {
  const whole = amount / UNIT;
  const frac = (amount % UNIT).toString().padStart(12, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''} FOLIO`;
};

const api = await ApiPromise.create({ provider: new WsProvider(WS_URL), throwOnConnect: true, noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob, charlie, dave, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
const names = new Map([alice, bob, charlie, dave, ferdie].map((pair, i) => [pair.address, ['Alice', 'Bob', 'Charlie', 'Dave', 'Ferdie'][i]]));

/** Free balances of the five accounts at a block. */
async function balancesAt(blockHash) {
  const at = await api.at(blockHash);
  const accounts = await at.query.system.account.multi([...names.keys()]);
  return new Map([...names.keys()].map((address, i) => [address, accounts[i].data.free.toBigInt()]));
}

/**
 * Signs and sends `tx` from `signer`, waits until it is finalized and returns its events, the
 * dispatch error (if any, as "section.Name") and the block hash. Then checks that every
 * balance changed by exactly the `transfers` ([from, to, amount]) minus the fee the signer paid.
 */
async function submit(what, tx, signer, transfers = []) {
  const { events, error, blockHash } = await new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isFinalized) {
        let error = null;
        if (dispatchError) {
          const meta = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : null;
          error = meta ? `${meta.section}.${meta.name}` : dispatchError.toString();
        }
        resolve({ events: events.map(({ event }) => event), error, blockHash: status.asFinalized });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`${what}: ${status.type}`));
      }
    }).catch(reject);
  });
  const header = await api.rpc.chain.getHeader(blockHash);
  const before = await balancesAt(header.parentHash);
  const after = await balancesAt(blockHash);
  let fee = 0n;
  for (const event of events) {
    if (api.events.transactionPayment.TransactionFeePaid.is(event)) {
      check(event.data.who.toString() === signer.address, `${what}: only the signer pays a fee`);
      fee += event.data.actualFee.toBigInt();
    }
  }
  const moved = events
    .filter((event) => api.events.balances.Transfer.is(event))
    .map((event) => [event.data.from.toString(), event.data.to.toString(), event.data.amount.toBigInt()]);
  check(
    JSON.stringify(moved.map(([from, to, amount]) => [names.get(from), names.get(to), amount.toString()])) ===
      JSON.stringify(transfers.map(([from, to, amount]) => [names.get(from.address), names.get(to.address), amount.toString()])),
    `${what}: transfers ${moved.map(([f, t, a]) => `${names.get(f)}→${names.get(t)} ${a}`).join(', ') || 'none'}`,
  );
  for (const [address, name] of names) {
    let expected = before.get(address) - (address === signer.address ? fee : 0n);
    for (const [from, to, amount] of transfers) {
      if (from.address === address) expected -= amount;
      if (to.address === address) expected += amount;
    }
    check(after.get(address) === expected, `${what}: ${name}'s balance ${after.get(address)} = ${expected}`);
  }
  return { events, error, blockHash, fee };
}

/** The data of the only `invoices.<name>` event among `events`. */
function invoiceEvent(events, name) {
  const found = events.filter((event) => api.events.invoices[name].is(event));
  check(found.length === 1, `one invoices.${name} event, got ${found.length}`);
  return found[0].data;
}

const invoiceView = async (id) => (await api.call.invoicesApi.invoice(id)).unwrap();

try {
  say(`connected to ${api.runtimeChain} (${api.runtimeVersion.specName}/${api.runtimeVersion.specVersion}) at ${WS_URL}`);

  // --- 1. the tax authority registers Bob -------------------------------------------------
  const registered = await api.call.invoicesApi.issuer(bob.address);
  if (registered.isNone) {
    const { events, error } = await submit(
      'register_issuer',
      api.tx.sudo.sudo(
        api.tx.invoices.registerIssuer(
          bob.address,
          stringToU8a('DE123456789000000000'), // tax id, 20 bytes
          '0x' + 'b0'.repeat(32), // hash of the registered name
          [SERIES],
          100_000n * UNIT, // quota per tax period: Σ issued − credited
        ),
      ),
      alice,
    );
    check(error === null, `register_issuer: ${error}`);
    const sudid = events.find((event) => api.events.sudo.Sudid.is(event));
    check(sudid && sudid.data.sudoResult.isOk, 'sudo.Sudid with Ok');
    invoiceEvent(events, 'IssuerRegistered');
  }
  const issuer = (await api.call.invoicesApi.issuer(bob.address)).unwrap();
  say(`registered issuer Bob: tax id ${issuer.taxId.toHuman()}, series ${issuer.series.map((s) => s.toHuman()).join(', ')}, quota ${folio(issuer.defaultQuota.toBigInt())} per period`);

  // --- 2. Bob issues an invoice to Charlie ------------------------------------------------
  const gross = 134n * UNIT;
  const body = {
    invoiceType: 'Commercial',
    currency: stringToU8a('FOL'),
    buyer: charlie.address,
    lines: [
      { quantity: 2_000, unitPrice: 50n * UNIT, net: 100n * UNIT, category: 'Standard', rate: 1_900, classification: stringToU8a('85234910') },
      { quantity: 1_500, unitPrice: 10n * UNIT, net: 15n * UNIT, category: 'Exempt', rate: 0, classification: stringToU8a('49019900') },
    ],
    breakdown: [
      { category: 'Standard', rate: 1_900, taxable: 100n * UNIT, tax: 19n * UNIT, exemption: null },
      // Exempt entries carry their reason: a VATEX code (EN 16931 BT-121), zero-padded to 24 bytes.
      { category: 'Exempt', rate: 0, taxable: 15n * UNIT, tax: 0n, exemption: { code: vatex('VATEX-EU-132-1A'), textHash: null } },
    ],
    totals: { lineTotal: 115n * UNIT, taxTotal: 19n * UNIT, grossTotal: gross },
    terms: { NetDays: 30 },
    contentHash: '0x' + '11'.repeat(32), // hash of the full UBL/CII document kept off chain
  };
  let step = await submit('issue_invoice', api.tx.invoices.issueInvoice(SERIES, body), bob);
  check(step.error === null, `issue_invoice: ${step.error}`);
  const issued = invoiceEvent(step.events, 'InvoiceIssued');
  const id = issued.id.toBigInt();
  check(issued.grossTotal.toBigInt() === gross, 'gross total 134 FOLIO');
  check(issued.buyer.toString() === charlie.address, 'buyer Charlie');
  let view = await invoiceView(id);
  check(view.state.status.isIssued, `status Issued, got ${view.state.status.type}`);
  const open = await api.call.invoicesApi.buyerOpenInvoices(charlie.address, 0, 100);
  check(open.some((x) => x.toBigInt() === id), "in Charlie's open invoices");
  const byNumber = await api.call.invoicesApi.invoiceByNumber(bob.address, SERIES, issued.sequence);
  check(byNumber.unwrap().toBigInt() === id, 'found by its number');
  say(`issued invoice #${id} numbered ${issuer.series[0].toHuman()}/${issued.sequence}: ${folio(gross)} to Charlie (status ${view.state.status.type}); fee ${folio(step.fee)}`);

  // --- 3. Charlie acknowledges and pays 50 FOLIO ------------------------------------------
  step = await submit('acknowledge', api.tx.invoices.acknowledge(id), charlie);
  check(step.error === null, `acknowledge: ${step.error}`);
  invoiceEvent(step.events, 'InvoiceAcknowledged');
  const firstPayment = 50n * UNIT;
  step = await submit('pay_invoice', api.tx.invoices.payInvoice(id, firstPayment), charlie, [[charlie, bob, firstPayment]]);
  check(step.error === null, `pay_invoice: ${step.error}`);
  let paid = invoiceEvent(step.events, 'InvoicePaid');
  check(paid.amount.toBigInt() === firstPayment && paid.toSeller.toBigInt() === firstPayment, 'all of it to the seller');
  check(paid.status.isPartiallyPaid, `PartiallyPaid, got ${paid.status.type}`);
  view = await invoiceView(id);
  check(view.outstanding.toBigInt() === gross - firstPayment, 'outstanding 84 FOLIO');
  say(`acknowledged, then paid ${folio(firstPayment)}: Charlie → Bob in the same extrinsic; status ${paid.status.type}, outstanding ${folio(view.outstanding.toBigInt())}`);

  // --- 4. a red-letter credit note: Bob requests, Charlie confirms ------------------------
  const creditGross = 11_900_000_000_000n; // 10 FOLIO + 19 % VAT, rounded half-up by the chain
  step = await submit(
    'request_credit',
    api.tx.invoices.requestCredit(
      id,
      { Amount: { net: 10n * UNIT, category: 'Standard', rate: 1_900, classification: stringToU8a('85234910') } },
      95, // reason code (agreed off chain)
      '0x' + '22'.repeat(32),
    ),
    bob,
  );
  check(step.error === null, `request_credit: ${step.error}`);
  const requested = invoiceEvent(step.events, 'CreditRequested');
  check(requested.gross.toBigInt() === creditGross, 'credit of 11.9 FOLIO');
  view = await invoiceView(id);
  check(view.creditRequest.unwrap().awaitingCounterparty.unwrap().toString() === charlie.address, 'awaiting Charlie');
  step = await submit('confirm_credit', api.tx.invoices.confirmCredit(id), charlie);
  check(step.error === null, `confirm_credit: ${step.error}`);
  const note = invoiceEvent(step.events, 'CreditNoteIssued');
  const noteId = note.creditNote.toBigInt();
  check(note.original.toBigInt() === id && note.gross.toBigInt() === creditGross, 'the credit note corrects the invoice');
  const noteView = await invoiceView(noteId);
  check(noteView.invoice.corrects.unwrap().toBigInt() === id, 'the credit note is linked');
  check(noteView.invoice.body.invoiceType.isCreditNote, 'type CreditNote (381)');
  view = await invoiceView(id);
  const net = gross - creditGross;
  check(view.net.toBigInt() === net, 'net 122.1 FOLIO');
  check((await api.call.invoicesApi.invoiceNet(id)).unwrap().toBigInt() === net, 'InvoicesApi.invoice_net');
  say(`credit note #${noteId} (${issuer.series[0].toHuman()}/${note.sequence}) of ${folio(creditGross)} requested by Bob, confirmed by Charlie: net ${folio(net)}, outstanding ${folio(view.outstanding.toBigInt())}`);

  // --- 5. Charlie pays the rest -------------------------------------------------------------
  const rest = view.outstanding.toBigInt();
  check(rest === 72_100_000_000_000n, 'the rest is 72.1 FOLIO');
  step = await submit('pay_invoice (rest)', api.tx.invoices.payInvoice(id, rest), charlie, [[charlie, bob, rest]]);
  check(step.error === null, `pay_invoice: ${step.error}`);
  paid = invoiceEvent(step.events, 'InvoicePaid');
  check(paid.status.isSettled, `Settled, got ${paid.status.type}`);
  const stillOpen = await api.call.invoicesApi.buyerOpenInvoices(charlie.address, 0, 100);
  check(!stillOpen.some((x) => x.toBigInt() === id), "no longer in Charlie's open invoices");
  const period = await api.call.invoicesApi.periodTotals(bob.address, view.invoice.period);
  say(`paid the rest ${folio(rest)}: status ${paid.status.type}; Bob's tax period ${view.invoice.period}: issued ${folio(period.unwrap().issued.toBigInt())}, credited ${folio(period.unwrap().credited.toBigInt())}`);

  // --- 6. reimbursement: lock for Dave, reimburse, and never twice ------------------------
  step = await submit('lock_for_reimbursement', api.tx.invoices.lockForReimbursement(id, dave.address), charlie);
  check(step.error === null, `lock_for_reimbursement: ${step.error}`);
  invoiceEvent(step.events, 'InvoiceLocked');
  step = await submit('reimburse', api.tx.invoices.reimburse(id, net), charlie, [[charlie, dave, net]]);
  check(step.error === null, `reimburse: ${step.error}`);
  const reimbursed = invoiceEvent(step.events, 'InvoiceReimbursed');
  check(reimbursed.amount.toBigInt() === net && reimbursed.claimant.toString() === dave.address, 'Dave got the net');
  view = await invoiceView(id);
  check(view.state.reimbursement.isReimbursed, `Reimbursed, got ${view.state.reimbursement.type}`);
  say(`locked for Dave and reimbursed ${folio(net)}: Charlie → Dave in the same extrinsic`);

  step = await submit('second reimburse', api.tx.invoices.reimburse(id, net), charlie, []);
  check(step.error === 'invoices.AlreadyReimbursed', `second reimbursement: ${step.error}`);
  check(!step.events.some((event) => event.section === 'invoices'), 'no invoice event');
  say(`second reimbursement rejected: ${step.error} (nothing moved; Charlie paid only the fee ${folio(step.fee)})`);

  const history = view.history.map((entry) => `${entry.action.type}`).join(' → ');
  say(`history of #${id}: ${history}`);

  // --- 7. Charlie deducts the input tax of the invoice, once --------------------------------
  step = await submit('claim_input_tax', api.tx.invoices.claimInputTax(id), charlie);
  check(step.error === null, `claim_input_tax: ${step.error}`);
  const claimed = invoiceEvent(step.events, 'InputTaxClaimed');
  check(claimed.tax.toBigInt() === 17_100_000_000_000n, 'input tax net of the credit note: 19 − 1.9 FOLIO');
  const charlieTax = await api.query.invoices.periodTaxes(charlie.address, claimed.period);
  check(charlieTax.inputTax.toBigInt() >= claimed.tax.toBigInt(), "counted in Charlie's period tax");
  step = await submit('second claim_input_tax', api.tx.invoices.claimInputTax(id), charlie);
  check(step.error === 'invoices.InputTaxAlreadyClaimed', `second claim: ${step.error}`);
  say(`Charlie deducted ${folio(claimed.tax.toBigInt())} input tax in period ${claimed.period}; a second claim: ${step.error}`);

  // --- 8. Bob declares last month; the tax authority (Root, through Sudo) confirms --------
  const current = (await api.call.invoicesApi.currentPeriod()).toNumber();
  const last = current - 1;
  const declarationHash = '0x' + 'de'.repeat(32); // hash of the declaration document
  const lastRecord = (await api.call.invoicesApi.periodTotals(bob.address, last)).unwrap();
  if (lastRecord.declaration.isNone) {
    step = await submit('file_declaration', api.tx.invoices.fileDeclaration(last, declarationHash), bob);
    check(step.error === null, `file_declaration: ${step.error}`);
    invoiceEvent(step.events, 'DeclarationFiled');
    step = await submit(
      'close_period',
      api.tx.sudo.sudo(api.tx.invoices.closePeriod(bob.address, last, declarationHash)),
      alice,
    );
    check(step.error === null, `close_period: ${step.error}`);
    invoiceEvent(step.events, 'PeriodClosed');
  }
  const declared = (await api.call.invoicesApi.periodTotals(bob.address, last)).unwrap().declaration.unwrap();
  check(declared.confirmedAt.isSome, 'confirmed by the tax authority');
  step = await submit('filing this month', api.tx.invoices.fileDeclaration(current, declarationHash), bob);
  check(step.error === 'invoices.PeriodNotOver', `filing this month: ${step.error}`);
  say(`Bob filed period ${last} (output tax ${folio(declared.tax.outputTax.toBigInt())}), confirmed by the tax authority; this month: ${step.error}`);

  // --- 9. financing by a bank after a stranger's offer, then a credit after payment --------
  step = await submit('issue_invoice (second)', api.tx.invoices.issueInvoice(SERIES, body), bob);
  check(step.error === null, `issue_invoice (second): ${step.error}`);
  const second = invoiceEvent(step.events, 'InvoiceIssued').id.toBigInt();
  // Ferdie, a stranger, offers 1 unit: an offer holds no money, and it is no lien.
  step = await submit('offer_financing (stranger)', api.tx.invoices.offerFinancing(second, 1), ferdie);
  check(step.error === null, `offer_financing (stranger): ${step.error}`);
  check(invoiceEvent(step.events, 'FinancingOffered').financier.toString() === ferdie.address, "Ferdie's offer");
  // Dave, the bank, offers 60 FOLIO all the same, and Bob accepts it: the stranger blocks nothing.
  const advance = 60n * UNIT;
  step = await submit('offer_financing (bank)', api.tx.invoices.offerFinancing(second, advance), dave);
  check(step.error === null, `offer_financing (bank): ${step.error}`);
  invoiceEvent(step.events, 'FinancingOffered');
  step = await submit('accept_financing', api.tx.invoices.acceptFinancing(second, dave.address), bob, [[dave, bob, advance]]);
  check(step.error === null, `accept_financing: ${step.error}`);
  const accepted = invoiceEvent(step.events, 'FinancingAccepted');
  check(accepted.financier.toString() === dave.address && accepted.advance.toBigInt() === advance, "Dave's 60 FOLIO accepted");
  const lien = (await invoiceView(second)).state.lien.unwrap();
  check(lien.financier.toString() === dave.address && lien.advance.toBigInt() === advance, "the lien is Dave's, 60 FOLIO");
  check(lien.repaid.toBigInt() === 0n && lien.state.isActive, 'nothing repaid yet, Active');
  step = await submit('decline_financing', api.tx.invoices.declineFinancing(second, ferdie.address), bob);
  check(step.error === null, `decline_financing: ${step.error}`);
  check(invoiceEvent(step.events, 'FinancingOfferRemoved').by.toString() === bob.address, 'declined by Bob');
  check((await api.query.invoices.financingOffers(second, ferdie.address)).isNone, "Ferdie's offer is gone");
  say(`invoice #${second} financed by Dave after Ferdie's offer of 1 unit: Dave → Bob ${folio(advance)}, lien Active; Ferdie's offer declined by Bob`);
  // Charlie pays in full: the unrepaid advance goes to Dave (the lien ends), the surplus to Bob.
  step = await submit('pay_invoice (financed)', api.tx.invoices.payInvoice(second, gross), charlie,
    [[charlie, dave, advance], [charlie, bob, gross - advance]]);
  check(step.error === null, `pay_invoice (financed): ${step.error}`);
  paid = invoiceEvent(step.events, 'InvoicePaid');
  check(paid.toFinancier.toBigInt() === advance && paid.toSeller.toBigInt() === gross - advance, '60 to Dave, 74 to Bob');
  check(paid.status.isPaid, `Paid, got ${paid.status.type}`);
  check(invoiceEvent(step.events, 'LienEnded').repaid.toBigInt() === advance, 'the lien ended, repaid');
  check((await invoiceView(second)).state.lien.isNone, 'no lien left');
  say(`paid ${folio(gross)}: Charlie → Dave ${folio(advance)} (lien ended), Charlie → Bob ${folio(gross - advance)}; status ${paid.status.type}`);
  // A credit after payment: the paid part above the new net goes back to Charlie at once.
  step = await submit(
    'request_credit (paid)',
    api.tx.invoices.requestCredit(
      second,
      { Amount: { net: 10n * UNIT, category: 'Standard', rate: 1_900, classification: stringToU8a('85234910') } },
      95,
      '0x' + '33'.repeat(32),
    ),
    bob,
  );
  check(step.error === null, `request_credit (paid): ${step.error}`);
  step = await submit('confirm_credit (paid)', api.tx.invoices.confirmCredit(second), charlie, [[bob, charlie, creditGross]]);
  check(step.error === null, `confirm_credit (paid): ${step.error}`);
  invoiceEvent(step.events, 'CreditNoteIssued');
  const refunded = invoiceEvent(step.events, 'CreditRefunded');
  check(refunded.amount.toBigInt() === creditGross && refunded.buyer.toString() === charlie.address, 'Charlie refunded 11.9 FOLIO');
  view = await invoiceView(second);
  check(view.net.toBigInt() === net && view.state.paid.toBigInt() === net && view.outstanding.toBigInt() === 0n, 'paid exactly the net');
  check(view.state.status.isSettled, `Settled, got ${view.state.status.type}`);
  say(`credit note on the paid invoice #${second}: ${folio(creditGross)} refunded Bob → Charlie in the same extrinsic; paid ${folio(view.state.paid.toBigInt())}, status ${view.state.status.type}`);
  say('OK');
} catch (error) {
  say('FAILED:', error.message);
  process.exitCode = 1;
} finally {
  await api.disconnect();
}
