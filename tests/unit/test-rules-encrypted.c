/* test-rules-encrypted.c
 * Unit test of plugin/core/rules_encrypted.c: an IKE_AUTH answered under
 * encryption with no key configured (encrypted-outcome) and what its note
 * says from the clear IKE_SA_INIT.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

/* Without keys: the encrypted-outcome finding says what the clear
 * IKE_SA_INIT tells about the authentication. */
static void
test_v2_no_keys_certreq(void)
{
    for (int creq = 0; creq < 2; creq++) {
        ikd_diag *t = ikd_diag_new(NULL);
        ikd_msg m;
        const ikd_finding *f;

        v2_init(t, 1, SPI_A, SPI_B, creq ? 0x2e : 0);
        ike(&m, 3, 2, IKD_X2_IKE_AUTH, TRUE, FALSE, SPI_A, SPI_B, 1, 303);
        m.encrypted = 1;
        ikd_diag_add(t, &m);
        ike(&m, 4, 2, IKD_X2_IKE_AUTH, FALSE, TRUE, SPI_A, SPI_B, 1, 404);
        m.encrypted = 1;
        m.content_len = 80;
        f = ikd_test_only_finding(ikd_diag_add(t, &m));
        g_assert_cmpint(f->cause, ==, IKD_CAUSE_ENCRYPTED_OUTCOME);
        g_assert_false(f->failure);
        g_assert_nonnull(strstr(f->message, "inside the encrypted IKE_AUTH (frames 3 and 4)"));
        if (creq) {
            g_assert_nonnull(strstr(f->message, "certificate authentication is expected: the responder asked in "
                                                "frame 2 for certificates from CA key SHA-1 2e2e2e"));
            g_assert_true(ikd_test_has_evidence(f, 2));
        } else {
            g_assert_nonnull(strstr(f->message, "neither peer sent a CERTREQ"));
        }
        ikd_diag_free(t);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/encrypted/v2-no-keys-certreq", test_v2_no_keys_certreq);
    return g_test_run();
}
