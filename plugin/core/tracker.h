/* tracker.h
 * IKE SAs and exchanges across a capture: which SA and exchange a frame
 * belongs to, request <-> response, retransmissions, IKEv1 Main/Aggressive/
 * Quick Mode and IKEv2 states, ESP between the peers.  The tracker calls no
 * rule: diagnose.c runs the rules after it has placed a frame.
 *
 * The tracker is fed ikd_msg values in frame order on the first pass only;
 * what it returns for a frame stays valid until ikd_tracker_free().  Later
 * frames may still add to an exchange (its response, a finding), which is
 * how a second pass can show "answered in frame N" on a request.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IKD_TRACKER_H
#define IKD_TRACKER_H

#include <glib.h>

#include "model.h"
#include "causes.h"

typedef struct ikd_sa ikd_sa;

typedef struct ikd_exchange ikd_exchange;

/* Findings are made and kept by findings.c; the tracker only anchors them
 * on their frame, SA and exchange. */
struct ikd_finding;

typedef enum {
    IKD_ROLE_NONE,
    IKD_ROLE_REQUEST,
    IKD_ROLE_RESPONSE,
    IKD_ROLE_FINAL,                 /* IKEv1 QM3 / AM3: completes the exchange */
    IKD_ROLE_ONEWAY,                /* IKEv1 Informational: no response expected */
    IKD_ROLE_ESP,
    IKD_ROLE_ICMP,
    IKD_ROLE_IP_FRAGMENT            /* a fragment of a datagram between the peers */
} ikd_role;

#define IKD_MAX_FRAGMENTS 8

/* One transmission slot of an exchange (the request, the response, ...).
 * An IKEv2 message sent in fragments (RFC 7383) fills one slot: the first
 * fragment's frame and hash, the others' kept to recognise their
 * retransmissions; the digest comes from the fragment that completed the
 * reassembly, where Wireshark shows the payloads. */
typedef struct ikd_slot_frags {
    guint8   n;                     /* further fragments seen */
    guint32  frame[IKD_MAX_FRAGMENTS];
    guint64  hash[IKD_MAX_FRAGMENTS];
} ikd_slot_frags;

typedef struct ikd_slot {
    guint32  frame;                 /* first transmission, 0 = not seen */
    guint32  last_frame;
    guint32  n_sent;                /* 1 + retransmissions */
    guint64  hash;
    ikd_digest *msg;
    ikd_slot_frags *frags;          /* NULL until a second fragment comes (rare:
                                       kept out of every exchange's three slots) */
} ikd_slot;

struct ikd_exchange {
    guint64  key;                   /* tracker's index key (exchange_key()) */
    ikd_sa  *sa;
    struct ikd_exchange *next_in_sa;
    ikd_slot request, response, final;
    guint32  number;                /* 1-based, within the SA */
    guint32  msgid;
    guint32  diagnosed_in;          /* frame carrying the main finding */
    ikd_cause diagnosed_cause;
    guint8   version, exch_type;
    guint8   from_initiator;        /* requester is the IKE SA initiator */
    guint8   phase1_step;           /* IKEv1 MM 1..3 / AM 1; 0 otherwise */
    guint8   failed;
};

typedef enum {
    IKD_OUTCOME_INCOMPLETE,
    IKD_OUTCOME_ESTABLISHED,
    IKD_OUTCOME_FAILED,
    IKD_OUTCOME_CHILD_FAILED,
    IKD_OUTCOME_ENCRYPTED
} ikd_outcome;

/* ESP seen in one direction between two peers. */
typedef struct ikd_esp_dir {
    guint32  first, last, count;    /* frames */
    guint32  spi;                   /* SPI of the first packet */
    gint64   first_ms, last_ms;     /* capture times, milliseconds */
} ikd_esp_dir;

/* What in the capture proves an IKE SA established, for both IKE versions
 * (tracker.c, prove_established()).  Without keys the IKE_AUTH answer of
 * IKEv2 may hide an error, so what follows it on the same SPIs decides. */
typedef enum {
    IKD_PROOF_NONE,
    IKD_PROOF_READ,                 /* the IKE_AUTH answer read, without an error */
    IKD_PROOF_PHASE1,               /* IKEv1: MM6 or AM3 sent */
    IKD_PROOF_CHILD_EXCHANGE,       /* a CREATE_CHILD_SA or Quick Mode answered on the SA's SPIs */
    IKD_PROOF_LATER_EXCHANGE,       /* further INFORMATIONAL exchanges answered on the SA's SPIs */
    IKD_PROOF_ESP                   /* ESP both ways on new SPIs after the authentication answer */
} ikd_proof;

/* Rule families keep per-SA state of their own in a slot each (rules.h
 * numbers them); the tracker only frees it with the SA. */
#define IKD_FAMILY_SLOTS 6

struct ikd_sa {
    guint64  spi_key;               /* tracker's index key: the initiator's SPI */
    guint32  number;                /* 1-based, order of first appearance */
    guint8   version;
    guint8   mode;                  /* IKEv1 phase 1 exchange type */
    guint8   ispi[8], rspi[8];
    gboolean have_rspi;
    ikd_addr init_addr, resp_addr;
    guint16  init_port, resp_port;
    gboolean initiator_known;
    guint32  first_frame, last_frame;
    const char *state;              /* after the last frame */
    ikd_outcome outcome;
    gboolean ike_established, child_established, child_failed;
    guint32  n_exchanges, n_retransmissions, n_findings;
    guint32  n_frames;
    guint32  touched;               /* last frame of any kind assigned to it */
    guint32  finished_at;           /* 'touched' when the end rules last ran */
    ikd_exchange *exchanges, *last_exchange;
    ikd_exchange *phase1_current;   /* IKEv1: the MM/AM pair in progress */
    struct ikd_finding **findings;  /* every finding about this SA (findings.c) */
    guint32  findings_cap;
    ikd_esp_dir esp[2];             /* ESP between the peers: [0] initiator->responder,
                                       [1] back */
    guint32  esp_first_raw;         /* first ESP frame not in UDP, 0 = none */
    ikd_proof proof;                /* how the capture proves ike_established */
    guint32  proof_frame;           /* the frame that proved it */
    guint32  proof_other;           /* the other frame of the proof (its request, ESP the other way) */
    guint32  established_in;        /* the frame at which ike_established became known */
    guint32  auth_answered;         /* first answer to the authentication (IKE_AUTH, MM6, AM2,
                                       a Quick Mode): ESP after it counts as proof */
    guint32  esp_new[2];            /* first ESP per direction on an SPI first seen after
                                       auth_answered */
    guint32  n_info_answered;       /* encrypted INFORMATIONAL exchanges answered */
    gpointer family_state[IKD_FAMILY_SLOTS];
    struct ikd_sa *next;
};

/* One per frame kept (most frames of an IKE capture): 48 bytes, pointers
 * first so that nothing pads. */
typedef struct ikd_frame_info {
    ikd_sa  *sa;
    ikd_exchange *exchange;
    const char *state;
    struct ikd_finding *findings;   /* findings carried by this frame (findings.c) */
    guint32  frame;
    guint32  retransmission_of;     /* 0 = not a retransmission */
    guint32  icmp_for;              /* ICMP error: the IKE frame it quotes */
    guint8   role;                  /* ikd_role */
    guint8   phase1_msg;            /* IKEv1 MM1..MM6 / AM1..AM3, 0 otherwise */
    guint8   quick_msg;             /* IKEv1 QM1..QM3 */
    guint8   malformed;
} ikd_frame_info;

typedef struct ikd_config {
    guint    no_response_retransmits;  /* retransmissions before no-response */
    gboolean weak_crypto;              /* report weak-crypto */
    gint64   now_override_sec;         /* tests: 0 = use capture time */
    guint    esp_one_way_packets;      /* ESP packets one way, none back, before esp-one-way */
    gboolean report_deletes;           /* an sa-deleted note on every Delete (rules_liveness.c) */
} ikd_config;

typedef struct ikd_tracker ikd_tracker;

void ikd_config_defaults(ikd_config *cfg);

ikd_tracker *ikd_tracker_new(const ikd_config *cfg);
void ikd_tracker_free(ikd_tracker *t);

/* First pass: account for one new frame (not looked up before).  Returns
 * NULL when the frame is of no interest (kind NONE); *digest is the IKE
 * message's digest as its exchange keeps it, NULL for other frames.  The
 * result lives as long as the tracker. */
ikd_frame_info *ikd_tracker_add(ikd_tracker *t, const ikd_msg *m, ikd_digest **digest);
ikd_frame_info *ikd_tracker_lookup(ikd_tracker *t, guint32 frame);


/* What proved the SA established, as a phrase ("the CREATE_CHILD_SA of
 * frame 9 was answered in frame 10 ..."), or NULL; g_free() it. */
char *ikd_sa_proof_text(ikd_tracker *t, const ikd_sa *sa);

/* All SAs in order of first appearance. */
ikd_sa *ikd_tracker_sas(ikd_tracker *t);
/* The SAs whose initiator or responder address is 'addr', in order of first
 * appearance; NULL when none.  Rules that look for a peer's other SAs scan
 * these, not every SA of the capture (which made a capture of many failing
 * negotiations quadratic: docs/performance.md). */
const GPtrArray *ikd_tracker_sas_at(ikd_tracker *t, const ikd_addr *addr);
/* Those rules look at no more than a peer's IKD_PEER_SCAN_MAX most recent
 * SAs: a gateway with a million road warriors must not make each refusal
 * cost a million steps (tools/bench/core-scale.c "hub"). */
#define IKD_PEER_SCAN_MAX 256
static inline guint
ikd_peer_scan_start(const GPtrArray *sas)
{
    return sas && sas->len > IKD_PEER_SCAN_MAX ? sas->len - IKD_PEER_SCAN_MAX : 0;
}
guint32 ikd_tracker_sa_count(const ikd_tracker *t);
const ikd_config *ikd_tracker_config(const ikd_tracker *t);
const char *ikd_outcome_name(ikd_outcome o);
/* Approximate heap bytes the tracker holds (for the memory benchmark). */
gsize ikd_tracker_memory(const ikd_tracker *t);

/* ESP between two hosts without an IKE SA in the capture (the capture began
 * after the negotiation), followed in both directions. */
typedef struct ikd_esp_flow {
    ikd_addr host[2];               /* [0] the first sender */
    ikd_esp_dir dir[2];             /* from host[i] */
    gboolean raw;
} ikd_esp_flow;

/* The flow between a and b, either way round, or NULL (the tracker makes
 * one for each pair of hosts that exchange ESP without an IKE SA). */
ikd_esp_flow *ikd_tracker_esp_flow(ikd_tracker *t, const ikd_addr *a, const ikd_addr *b);

/* A rule family's state for this SA: 'size' zeroed bytes on first use,
 * freed with the SA (plain data only). */
gpointer ikd_sa_family_state(ikd_sa *sa, guint slot, gsize size);
/* A rule family's state for the whole capture: made by 'create' on first
 * use, destroyed with the tracker. */
gpointer ikd_tracker_family_state(ikd_tracker *t, guint slot, gpointer (*create)(void),
                                  GDestroyNotify destroy);
/* Counts heap bytes the rules hold (ikd_tracker_memory()). */
void ikd_tracker_account(ikd_tracker *t, gsize bytes);

#endif /* IKD_TRACKER_H */
