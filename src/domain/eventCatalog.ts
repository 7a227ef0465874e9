// The event types a webhook endpoint can subscribe to: every type the service emits to its outbox
// (the `action`/`event`/`alsoEmits` of recorded changes), and the spellings other systems use for them.

export const eventCatalog = {
	"customer.created": "A customer was created.",
	"customer.updated": "A customer's details changed.",
	"customer.deleted": "A customer was deleted.",
	"customer.services_held": "A dunning step put a customer's services on hold.",
	"invoice.created": "A draft invoice was created.",
	"invoice.updated": "A draft invoice changed.",
	"invoice.finalized": "An invoice was numbered and issued.",
	"invoice.paid": "An invoice's balance reached zero.",
	"invoice.sent": "An invoice was emailed.",
	"invoice.reminder_sent": "A payment reminder for an invoice was emailed.",
	"invoice.dunning_step":
		"A dunning run took a step of its rule for an overdue invoice (email, sms or hold), with its outcome.",
	"invoice.voided": "An invoice was voided.",
	"invoice.deleted": "A draft invoice was deleted.",
	"invoice.written_off": "An invoice's balance was written off.",
	"credit_note.issued": "A credit note was issued.",
	"credit_note.applied": "A credit note's amount was applied to an invoice.",
	"credit_note.voided": "A credit note was voided.",
	"credit_note.sent": "A credit note was emailed.",
	"statement.sent": "A statement of account was emailed.",
	"payment.recorded": "A payment was received.",
	"payment.allocated": "A payment's unapplied amount was allocated to invoices.",
	"payment.refunded": "A payment was refunded, in part or in full.",
	"payment.failed": "A payment could not be collected or recorded.",
	"chargeback.created": "A payment was charged back.",
	"dispute.resolved": "A dispute or chargeback was resolved.",
	"subscription.created": "A subscription was created.",
	"subscription.updated": "A subscription's plan, quantity or terms changed.",
	"subscription.renewed": "A subscription's new period was billed.",
	"subscription.trial_ended": "A subscription's trial ended and its first period was billed.",
	"subscription.cancel_scheduled": "A subscription will cancel at the end of its period.",
	"subscription.canceled": "A subscription was canceled.",
	"subscription.paused": "A subscription was paused.",
	"subscription.resumed": "A subscription was resumed.",
	"subscription.active": "A delinquent subscription is paid up again.",
	"subscription.past_due": "A subscription's invoice is unpaid past its due date.",
	"subscription.unpaid": "A subscription's invoice stayed unpaid long past its due date.",
	"plan.created": "A plan was created.",
	"plan.updated": "A plan changed.",
	"plan.archived": "A plan was archived.",
	"plan.deleted": "A plan was deleted.",
	"coupon.created": "A coupon was created.",
	"billable_metric.created": "A billable metric was created.",
	"billable_metric.updated": "A billable metric changed.",
	"usage.adjusted": "Recorded usage was corrected.",
	"journal.created": "A manual journal entry was posted.",
	"ledger.period_closed": "An accounting period was closed.",
	"collection_case.opened":
		"A customer's overdue invoices went through every dunning step and became a collection case.",
	"collection_case.resolved": "A collection case was closed with its resolution.",
	"webhook_endpoint.disabled": "A webhook endpoint was disabled after failing for too long.",
} as const;

export type EventType = keyof typeof eventCatalog;

export const eventTypes = Object.keys(eventCatalog) as [EventType, ...EventType[]];

/** Other spellings of catalog events, accepted on subscription and stored as the catalog's spelling. */
export const eventAliases = { "subscription.cancelled": "subscription.canceled" } as const satisfies Record<
	string,
	EventType
>;

/** Subscribes to every event. */
export const ALL_EVENTS = "*";

type Alias = keyof typeof eventAliases;

/** Every name an endpoint may subscribe to: `*`, a catalog event or an alias of one. */
export const subscribableEventNames = [ALL_EVENTS, ...eventTypes, ...(Object.keys(eventAliases) as Alias[])] as [
	typeof ALL_EVENTS | EventType | Alias,
	...(typeof ALL_EVENTS | EventType | Alias)[],
];

export type SubscribableEventName = (typeof subscribableEventNames)[number];

/** The name an endpoint stores: an alias becomes the catalog's spelling, which is what events carry. */
export function canonicalEventName(name: SubscribableEventName): typeof ALL_EVENTS | EventType {
	return Object.hasOwn(eventAliases, name) ? eventAliases[name as Alias] : (name as typeof ALL_EVENTS | EventType);
}
