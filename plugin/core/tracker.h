/* tracker.h
 * IKE SAs and exchanges across a capture: which SA and exchange a frame
 * belongs to, request <-> response, retransmissions, IKEv1 Main/Aggressive/
 * Quick Mode and IKEv2 states, and the findings the rules attach.
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

/* ikd_sa.nat_behind: which side a NAT hides, as seen from the capture point. */
#define IKD_NAT_BEHIND_INITIATOR 0x01
#define IKD_NAT_BEHIND_RESPONDER 0x02
typedef struct ikd_exchange ikd_exchange;

#define IKD_MAX_EVIDENCE 8

typedef struct ikd_finding {
    ikd_cause cause;
    gboolean  failure;
    guint32   frame;                /* the frame that carries it */
    guint32   evidence[IKD_MAX_EVIDENCE];
    guint8    n_evidence;
    char     *message;              /* a full sentence with frames and values */
    char     *offered, *chosen, *mismatch, *hint;   /* NULL when not known */
    ikd_sa   *sa;
    ikd_exchange *exchange;         /* NULL when not about one exchange */
    struct ikd_finding *next_on_frame;
} ikd_finding;

/* The parts of a message the rules compare later, copied compactly. */
typedef struct ikd_digest {
    guint32  frame;
    guint8   version, exch_type, flags, encrypted, decrypted;
    guint8   has_sa, has_ke, has_auth, has_cert, has_certreq, has_hash;
    guint8   auth_method;
    guint16  ke_group, ke_len;
    guint8   n_prop, n_tf, n_notify, n_ts, n_id, n_natd, n_vid, n_cert;
    guint32  content_len;
    gint64   ts_sec;
    gint32   ts_nsec;
    ikd_proposal *prop;
    ikd_transform *tf;
    ikd_notify *notify;
    ikd_ts *ts;
    ikd_ident *id;
    ikd_blob *natd;
    ikd_blob *vid;
    ikd_cert *cert;
    guint8   has_eap, eap_code, eap_type;   /* EAP (rules_auth.c) */
    guint8   n_certreq;             /* CAs asked for (rules_auth.c) */
    ikd_certreq *certreq;
} ikd_digest;

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
    guint32  index;                 /* 1-based, within the SA */
    guint8   version, exch_type;
    guint32  msgid;
    gboolean from_initiator;        /* requester is the IKE SA initiator */
    guint8   phase1_step;           /* IKEv1 MM 1..3 / AM 1; 0 otherwise */
    ikd_slot request, response, final;
    guint32  diagnosed_in;          /* frame carrying the main finding */
    ikd_cause diagnosed_cause;
    gboolean failed;
    struct ikd_exchange *next_in_sa;
};

typedef enum {
    IKD_OUTCOME_INCOMPLETE,
    IKD_OUTCOME_ESTABLISHED,
    IKD_OUTCOME_FAILED,
    IKD_OUTCOME_CHILD_FAILED,
    IKD_OUTCOME_ENCRYPTED
} ikd_outcome;

/* ESP seen in one direction between two peers (rules_nat.c). */
typedef struct ikd_esp_dir {
    guint32  first, last, count;    /* frames */
    guint32  spi;                   /* SPI of the first packet */
    gint64   first_ms, last_ms;     /* capture times, milliseconds */
} ikd_esp_dir;

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
    guint32  n_esp_i2r, n_esp_r2i;  /* ESP packets seen between the peers */
    guint32  n_frames;
    guint32  touched;               /* last frame of any kind assigned to it */
    guint32  finished_at;           /* 'touched' when the end rules last ran */
    ikd_exchange *exchanges, *last_exchange;
    ikd_exchange *phase1_current;   /* IKEv1: the MM/AM pair in progress */
    ikd_finding **findings;         /* every finding about this SA */
    guint32  findings_cap;
    gboolean nat_seen;
    /* Path facts kept by rules_nat.c and rules_liveness.c. */
    guint32  nat_frame;             /* frame whose NAT-D hashes revealed the NAT */
    guint8   nat_behind;            /* IKD_NAT_BEHIND_* as seen from the capture point */
    ikd_esp_dir esp[2];             /* [0] initiator->responder, [1] back */
    guint32  esp_first_raw;         /* first ESP frame not in UDP, 0 = none */
    guint32  frag_first, frag_last, frag_orphans;   /* IP fragments not (yet) reassembled */
    guint32  frag_ike_last;         /* last IKE message reassembled from IP fragments */
    gint64   frag_first_ms;         /* capture time of frag_first, milliseconds */
    gint64   frag_last_ms;
    guint32  first_4500;            /* first IKE message on UDP 4500 */
    guint32  dpd_first[2], dpd_last[2], dpd_unacked[2]; /* IKEv1 R-U-THERE by sender */
    guint32  liveness_frame;        /* last IKEv2 liveness check (empty INFORMATIONAL) */
    guint8   ike_chosen_idx_valid;
    ikd_digest *ike_chosen;         /* the response that chose the IKE SA */
    struct ikd_sa *next;
};

typedef struct ikd_frame_info {
    guint32  frame;
    ikd_sa  *sa;
    ikd_exchange *exchange;
    ikd_role role;
    guint8   phase1_msg;            /* IKEv1 MM1..MM6 / AM1..AM3, 0 otherwise */
    guint8   quick_msg;             /* IKEv1 QM1..QM3 */
    guint32  retransmission_of;     /* 0 = not a retransmission */
    guint32  icmp_for;              /* ICMP error: the IKE frame it quotes */
    guint8   malformed;
    const char *state;
    ikd_finding *findings;          /* findings carried by this frame */
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

/* First pass: account for one frame.  Returns NULL when the frame is of no
 * interest (kind NONE).  The result lives as long as the tracker. */
ikd_frame_info *ikd_tracker_add(ikd_tracker *t, const ikd_msg *m);
ikd_frame_info *ikd_tracker_lookup(ikd_tracker *t, guint32 frame);

/* End of capture (second pass, statistics): conclusions that need to know
 * nothing more will come, e.g. an unanswered request at the end. */
void ikd_tracker_finish(ikd_tracker *t);
gboolean ikd_tracker_finished(const ikd_tracker *t);

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
 * after the negotiation): rules_nat.c follows its directions. */
typedef struct ikd_esp_flow {
    ikd_addr host[2];               /* [0] the first sender */
    ikd_esp_dir dir[2];             /* from host[i] */
    gboolean raw, reported;
} ikd_esp_flow;

/* The flow between a and b, created on first use; lives with the tracker. */
ikd_esp_flow *ikd_tracker_esp_flow(ikd_tracker *t, const ikd_addr *a, const ikd_addr *b);

/* For the rules (rules.h): report a finding on frame 'frame'. */
ikd_finding *ikd_report(ikd_tracker *t, ikd_sa *sa, ikd_exchange *ex, guint32 frame,
                        ikd_cause cause, gboolean failure);
void ikd_finding_evidence(ikd_finding *f, guint32 frame);
void ikd_finding_message(ikd_finding *f, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void ikd_finding_set(char **field, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
gboolean ikd_sa_has_cause(const ikd_sa *sa, ikd_cause cause);
/* Does any finding about this SA say it failed? */
gboolean ikd_sa_has_failure(const ikd_sa *sa);

#endif /* IKD_TRACKER_H */
