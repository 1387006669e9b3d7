/*
 * Osprey's order protocol, as a model for spin: intent -> request -> (lost / delayed / unanswered reply)
 * -> reconcile -> fill import, with the daemon crashing between any two steps.
 *
 * The engine (Sources/OspreyRuntime/Trading/TradeEngine*.swift) commits an intent to the ledger before the
 * request leaves, never sends an order twice, settles an order without an answer by asking the exchange for
 * its client order id, records fills (keyed by trade id) before the order's new state, and declares an order
 * not placed only when the exchange says it is absent after the request's window (recvWindow) has closed.
 * The exchange (Binance spot) accepts a client order id again once the earlier order is no longer open:
 * only the sender can keep an order from being placed twice.
 *
 * Checked (spin -a, then pan): in every reachable state, no intent has two exchange orders and no trade is
 * recorded twice; once the engine has settled everything and the network is drained, every exchange order is
 * in the ledger as filled with its fill, and every intent the exchange never had is not_placed or rejected.
 *
 * -DRETRY_ON_TIMEOUT builds the broken variant (the transport sends the order again when no answer came, as
 * libcurl did on a reused connection); -DAPPEND_FILLS one that records fills without their trade id key.
 * Both must fail: Tests/OspreyTradingTests/OrderProtocolModelTests.swift checks that they do.
 */

#ifndef N
#define N 2             /* intents */
#endif
#ifndef CRASHES
#define CRASHES 2       /* SIGKILLs of the daemon */
#endif
#ifndef FAULTS
#define FAULTS 3        /* lost requests, lost replies and client timeouts while a reply is still coming */
#endif

mtype = { REPORTED, REFUSED, FOUND, ABSENT_OPEN, ABSENT_CLOSED };     /* replies */
#define NONE 0                                                       /* ledger states */
#define PENDING 1
#define UNKNOWN 2
#define FILLED 3
#define NOTPLACED 4
#define REJECTED 5

/* The exchange: orders per intent (each fills at once, with one trade), and whether the intent's recvWindow
 * has passed on the exchange's clock (a request arriving after it is refused). */
byte placed[N];
bool closed[N];

/* The network: requests in flight per intent (delivered in any order, or lost), replies in flight. */
byte place_requests[N];
byte query_requests[N];
chan replies = [4] of { mtype, byte };

/* The ledger (durable): each intent's state, and the trades recorded for it. */
byte ledger[N];
byte fills[N];

byte faults;
byte crashes;
bool crash;
bool settled;

/* Records the intent's trades (INSERT OR IGNORE by trade id), then its new state: two commits. */
inline import(i) {
#ifdef APPEND_FILLS
    d_step { fills[i] = fills[i] + placed[i] };
#else
    d_step { fills[i] = placed[i] };
#endif
    ledger[i] = FILLED
}

/* Waits for the answer to a query of intent i and applies it; a timeout leaves the order as it was. */
inline await_query(i) {
    if
    :: replies ?? FOUND, eval(i) -> import(i)
    :: replies ?? ABSENT_CLOSED, eval(i) -> ledger[i] = NOTPLACED
    :: replies ?? ABSENT_OPEN, eval(i) -> ledger[i] = UNKNOWN
    :: faults < FAULTS -> faults++
    :: timeout -> skip
    fi
}

active proctype engine() {
    byte i;
restart:
    skip;
    d_step {    /* a new process: every connection of the old one is gone, and with it their replies */
        do
        :: nempty(replies) -> replies ? _, _
        :: empty(replies) -> break
        od;
        i = 0
    }
    {
        /* start-up reconciliation, then new orders, then reconciliation until nothing is unresolved */
        do
        :: i < N ->
            if
            :: ledger[i] == NONE ->
                ledger[i] = PENDING;            /* the intent is committed (fsynced) */
                place_requests[i]++;            /* then the request leaves */
                if
                :: replies ?? REPORTED, eval(i) -> import(i)
                :: replies ?? REFUSED, eval(i) -> ledger[i] = REJECTED
                :: faults < FAULTS -> faults++; ledger[i] = UNKNOWN
#ifdef RETRY_ON_TIMEOUT
                    ; place_requests[i]++
#endif
                :: timeout -> ledger[i] = UNKNOWN
                fi
            :: else -> skip
            fi;
            i++
        :: else -> break
        od;
        do
        :: (ledger[0] == PENDING || ledger[0] == UNKNOWN) -> query_requests[0]++; await_query(0)
        :: (ledger[1] == PENDING || ledger[1] == UNKNOWN) -> query_requests[1]++; await_query(1)
        :: else -> break
        od;
        settled = true
    } unless { crash };
    if
    :: crash -> d_step { crash = false; crashes++ }; goto restart
    :: else -> skip
    fi
}

/* SIGKILL, at any step, CRASHES times at most. */
active proctype killer() {
    do
    :: crashes < CRASHES && !crash && !settled -> crash = true
    :: crashes >= CRASHES || settled -> break
    od
}

/* The exchange's clock: an intent's window closes at some point after its request could have left. */
active proctype clock() {
    byte i;
    do
    :: i < N ->
        if
        :: ledger[i] != NONE -> closed[i] = true; i++
        fi
    :: i == N -> break
    od
}

/* Binance spot: takes any request in flight, in any order; an answer may be lost on the way back. */
active proctype exchange() {
    byte i;
    mtype answer;
end:
    do
    :: atomic { place_requests[0] > 0 -> i = 0; place_requests[0]-- } -> goto place
    :: atomic { place_requests[1] > 0 -> i = 1; place_requests[1]-- } -> goto place
    :: atomic { query_requests[0] > 0 -> i = 0; query_requests[0]-- } -> goto query
    :: atomic { query_requests[1] > 0 -> i = 1; query_requests[1]-- } -> goto query
    od;
place:
    atomic {
        if
        :: faults < FAULTS -> faults++; goto end      /* the request was lost before the exchange */
        :: closed[i] -> answer = REFUSED
        :: !closed[i] -> placed[i]++; answer = REPORTED
        fi
    }
    goto reply;
query:
    if
    :: placed[i] > 0 -> answer = FOUND
    :: placed[i] == 0 && closed[i] -> answer = ABSENT_CLOSED
    :: placed[i] == 0 && !closed[i] -> answer = ABSENT_OPEN
    fi;
reply:
    if
    :: faults < FAULTS -> faults++                       /* the reply is lost */
    :: nfull(replies) -> replies ! answer, i
    :: full(replies) -> skip
    fi;
    goto end
}

/* Safety in every state; agreement once the engine has settled and the network is drained. */
active proctype monitor() {
    byte i;
    do
    :: (placed[0] > 1 || placed[1] > 1) -> assert(false)          /* an intent placed twice */
    :: (fills[0] > placed[0] || fills[1] > placed[1]) -> assert(false)   /* a trade recorded twice */
    :: settled && place_requests[0] + place_requests[1] + query_requests[0] + query_requests[1] == 0 -> break
    od;
    for (i : 0 .. N - 1) {
        assert(placed[i] <= 1);
        assert(placed[i] == 0 || (ledger[i] == FILLED && fills[i] == placed[i]));
        assert(placed[i] == 1 || ledger[i] == NOTPLACED || ledger[i] == REJECTED)
    }
}
