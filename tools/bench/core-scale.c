/* core-scale.c
 * How the epan-free core (tracker + rules) grows with the number of IKE SAs
 * and of exchanges in one SA: time per message, ikd_diag_memory() and
 * peak RSS.  Synthetic ikd_msg values, no Wireshark.
 *
 *   core-scale sas N        N IKE SAs, distinct SPIs and peers: IKE_SA_INIT
 *                           request + NO_PROPOSAL_CHOSEN refusal (a failure
 *                           that makes the rules look at the peer's other SAs)
 *                           for half of them, request + response + IKE_AUTH
 *                           pair for the other half
 *   core-scale hub N        the same, but every SA has the same responder (a
 *                           gateway with N road warriors)
 *   core-scale exchanges N  one IKE SA with N INFORMATIONAL exchanges (DPD
 *                           over a long capture)
 *   core-scale certs N      a gateway refusing N road warriors' certificates:
 *                           each IKE_AUTH (clear) carries a certificate of an
 *                           issuer not in the capture and is answered with
 *                           AUTHENTICATION_FAILED, after a CERTREQ (the trust
 *                           rule looks the issuer up among the capture's
 *                           certificates on every refusal)
 *
 * Prints: mode, N, messages, seconds, ns per message, tracker bytes, bytes
 * per SA, peak RSS (kB).  Built by tools/bench/bench.sh.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/model.h"
#include "core/diagnose.h"
#include "core/names.h"

static void
set_addr(ikd_addr *a, guint32 v)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->bytes[0] = 10;
    a->bytes[1] = (guint8)(v >> 16);
    a->bytes[2] = (guint8)(v >> 8);
    a->bytes[3] = (guint8)v;
}

static void
set_spi(guint8 spi[8], guint64 v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        spi[i] = (guint8)v;
}

static void
add_sa_offer(ikd_msg *m)
{
    m->has_sa = m->has_ke = m->has_nonce = 1;
    m->ke_group = 14;
    m->n_prop = 1;
    IKD_PROP(m)[0].number = 1;
    IKD_PROP(m)[0].protocol = IKD_PROTO_IKE;
    IKD_PROP(m)[0].first_tf = 0;
    IKD_PROP(m)[0].n_tf = 4;
    m->n_tf = 4;
    IKD_TF(m)[0] = (ikd_transform){ IKD_TF_ENCR, 12, 256 };
    IKD_TF(m)[1] = (ikd_transform){ IKD_TF_PRF, 5, 0 };
    IKD_TF(m)[2] = (ikd_transform){ IKD_TF_INTEG, 12, 0 };
    IKD_TF(m)[3] = (ikd_transform){ IKD_TF_DH, 14, 0 };
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s sas|hub|exchanges|certs N\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    guint32 n = (guint32)strtoul(argv[2], NULL, 10);
    ikd_diag *t = ikd_diag_new(NULL);
    ikd_msg *m = g_new(ikd_msg, 1);
    guint32 frame = 0, msgs = 0;
    gint64 now = 1700000000;
    struct timespec a, b;
    gboolean certs = strcmp(mode, "certs") == 0;
    gboolean hub = certs || strcmp(mode, "hub") == 0;

    /* CPU time, not wall clock: the machine is shared. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    if (strcmp(mode, "exchanges") == 0) {
        ikd_addr i, r;
        set_addr(&i, 1);
        set_addr(&r, 2);
        for (guint32 k = 0; k < n; k++) {
            for (int dir = 0; dir < 2; dir++) {
                ikd_msg_init(m);
                m->kind = IKD_MSG_IKE;
                m->frame = ++frame;
                m->ts_sec = now + k * 10;
                m->src = dir ? r : i;
                m->dst = dir ? i : r;
                m->sport = m->dport = 500;
                m->version = 2;
                set_spi(m->ispi, 0x1111);
                set_spi(m->rspi, 0x2222);
                if (k == 0) {
                    m->exch_type = IKD_X2_IKE_SA_INIT;
                    add_sa_offer(m);
                } else {
                    m->exch_type = IKD_X2_INFORMATIONAL;
                    m->encrypted = 1;
                }
                m->msgid = k;
                m->flags = (dir ? IKD_FLAG_V2_R : IKD_FLAG_V2_I);
                m->content_hash = ((guint64)k << 1) | (guint64)dir;
                m->content_len = 80;
                ikd_diag_add(t, m);
                msgs++;
            }
        }
    } else {
        for (guint32 k = 0; k < n; k++) {
            ikd_addr i, r;
            set_addr(&i, 2 * k + 1);
            set_addr(&r, hub ? 0xfffffe : 2 * k + 2);
            gboolean refuse = !certs && k % 2 == 0;
            int steps = refuse ? 2 : 4;
            for (int s = 0; s < steps; s++) {
                gboolean resp = s % 2 == 1;
                ikd_msg_init(m);
                m->kind = IKD_MSG_IKE;
                m->frame = ++frame;
                m->ts_sec = now + k;
                m->src = resp ? r : i;
                m->dst = resp ? i : r;
                m->sport = m->dport = 500;
                m->version = 2;
                set_spi(m->ispi, 0x100000000ull + k);
                if (s > 0 && !refuse)
                    set_spi(m->rspi, 0x900000000ull + k);
                m->exch_type = s < 2 ? IKD_X2_IKE_SA_INIT : IKD_X2_IKE_AUTH;
                m->msgid = s < 2 ? 0 : 1;
                m->flags = resp ? IKD_FLAG_V2_R : IKD_FLAG_V2_I;
                m->content_hash = ((guint64)k << 2) | (guint64)s;
                m->content_len = 300;
                if (s == 0)
                    add_sa_offer(m);
                else if (s == 1 && refuse) {
                    m->n_notify = 1;
                    IKD_NOTIFY(m)[0].type = IKD_N_NO_PROPOSAL_CHOSEN;
                } else if (s == 1) {
                    add_sa_offer(m);
                    if (certs) {
                        m->has_certreq = 1;
                        m->n_certreq = 1;
                        IKD_CERTREQ(m)[0].cert_type = 4;
                        IKD_CERTREQ(m)[0].hash_len = 20;
                        memset(IKD_CERTREQ(m)[0].hash, 0xca, 20);
                    }
                } else if (certs && s == 2) {
                    m->has_cert = m->has_auth = 1;
                    m->auth_method = 1;
                    m->n_cert = 1;
                    snprintf(IKD_CERT(m)[0].subject, sizeof IKD_CERT(m)[0].subject, "C=ZZ, O=Lab, CN=client %u", k);
                    snprintf(IKD_CERT(m)[0].issuer, sizeof IKD_CERT(m)[0].issuer, "C=ZZ, O=Lab, CN=Unknown CA");
                    IKD_CERT(m)[0].not_before = now - 86400;
                    IKD_CERT(m)[0].not_after = now + 86400;
                    m->n_id = 1;
                    IKD_ID(m)[0].initiator_side = 1;
                    IKD_ID(m)[0].type = 9;
                    snprintf(IKD_ID(m)[0].text, sizeof IKD_ID(m)[0].text, "C=ZZ, O=Lab, CN=client %u", k);
                } else if (certs && s == 3) {
                    m->n_notify = 1;
                    IKD_NOTIFY(m)[0].type = IKD_N_AUTHENTICATION_FAILED;
                } else {
                    m->encrypted = 1;
                }
                ikd_diag_add(t, m);
                msgs++;
            }
        }
    }
    ikd_diag_finish(t);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);

    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    gsize bytes = ikd_diag_memory(t);
    guint32 sas = ikd_tracker_sa_count(ikd_diag_tracker(t));
    printf("%-9s %9u %9u msgs %8.3f s CPU %8.0f ns/msg %12zu B tracker %7.0f B/SA %9ld kB peak RSS\n",
           mode, n, msgs, secs, secs * 1e9 / msgs, (size_t)bytes, sas ? (double)bytes / sas : 0.0,
           ru.ru_maxrss);
    ikd_diag_free(t);
    g_free(m);
    return 0;
}
