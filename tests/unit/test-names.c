/* test-names.c
 * Unit tests of plugin/core/names.c: proposals written as a configuration
 * line and as a log line, IKEv1 numbers mapped onto IKEv2 transform IDs, and
 * which transforms are weak.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/names.h"
#include "core/rules_common.h"

static void
test_notation(void)
{
    ikd_msg m;
    char *s;

    ikd_msg_init(&m);
    offer_aes256_sha256_modp2048(&m);
    s = ikd_proposal_to_config(&IKD_PROP(&m)[0], IKD_TF(&m));
    g_assert_cmpstr(s, ==, "aes256-sha256-modp2048");
    g_free(s);
    s = ikd_proposal_to_log(&IKD_PROP(&m)[0], IKD_TF(&m));
    g_assert_cmpstr(s, ==, "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
    g_free(s);

    /* AEAD: no integrity, so the PRF must be spelled out. */
    ikd_msg_init(&m);
    offer_aes128gcm_ecp256(&m);
    s = ikd_proposal_to_config(&IKD_PROP(&m)[0], IKD_TF(&m));
    g_assert_cmpstr(s, ==, "aes128gcm16-prfsha256-ecp256");
    g_free(s);

    /* A PRF other than the integrity keyword's is written too. */
    ikd_msg_init(&m);
    prop(&m, IKD_PROTO_IKE);
    tf(&m, IKD_TF_ENCR, 3, 0);
    tf(&m, IKD_TF_INTEG, 7, 0);
    tf(&m, IKD_TF_PRF, 5, 0);
    tf(&m, IKD_TF_DH, 14, 0);
    s = ikd_proposal_to_config(&IKD_PROP(&m)[0], IKD_TF(&m));
    g_assert_cmpstr(s, ==, "3des-sha1_160-prfsha256-modp2048");
    g_free(s);

    /* ESP with PFS and ESN */
    ikd_msg_init(&m);
    prop(&m, IKD_PROTO_ESP);
    tf(&m, IKD_TF_ENCR, 12, 128);
    tf(&m, IKD_TF_INTEG, 12, 0);
    tf(&m, IKD_TF_DH, 14, 0);
    tf(&m, IKD_TF_ESN, 1, 0);
    s = ikd_proposal_to_config(&IKD_PROP(&m)[0], IKD_TF(&m));
    g_assert_cmpstr(s, ==, "aes128-sha256-modp2048-esn");
    g_free(s);
}

static void
test_v1_mapping(void)
{
    /* RFC 2409 appendix A numbers onto IKEv2 transform IDs */
    g_assert_cmpuint(ikd_v1_encr_to_v2(7), ==, 12);      /* AES-CBC */
    g_assert_cmpuint(ikd_v1_encr_to_v2(5), ==, 3);       /* 3DES */
    g_assert_cmpuint(ikd_v1_hash_to_integ(4), ==, 12);   /* SHA2-256 */
    g_assert_cmpuint(ikd_v1_hash_to_prf(2), ==, 2);      /* SHA1 */
    g_assert_cmpuint(ikd_v1_esp_to_v2(12), ==, 12);      /* ESP_AES */
    g_assert_cmpuint(ikd_v1_esp_to_v2(22), ==, 23);      /* Camellia */
    g_assert_cmpuint(ikd_v1_auth_alg_to_integ(5), ==, 12);
    g_assert_cmpuint(ikd_v1_esp_to_v2(10), ==, 0);       /* unassigned */
}

static void
test_weakness(void)
{
    g_assert_nonnull(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_DH, 2, 0));
    g_assert_nonnull(ikd_transform_weakness(IKD_PROTO_ESP, IKD_TF_ENCR, 2, 0));
    g_assert_nonnull(ikd_transform_weakness(IKD_PROTO_ESP, IKD_TF_ENCR, 11, 0));
    g_assert_null(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_ENCR, 11, 0));
    g_assert_null(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_ENCR, 20, 256));
    g_assert_null(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_DH, 19, 0));
    g_assert_null(ikd_transform_weakness(IKD_PROTO_IKE, IKD_TF_INTEG, 12, 0));
}

/* Addresses and numbers in sentences (model.c): written digit by digit,
 * so the edges of each digit count, and IPv6's short form (RFC 5952). */
static void
test_numbers_in_text(void)
{
    static const struct { guint32 v; const char *s; } nums[] = {
        { 0, "0" }, { 7, "7" }, { 10, "10" }, { 99, "99" }, { 100, "100" },
        { 4500, "4500" }, { 4294967295u, "4294967295" },
    };
    static const struct { guint8 b[4]; const char *s; } v4[] = {
        { { 0, 0, 0, 0 }, "0.0.0.0" }, { { 255, 255, 255, 255 }, "255.255.255.255" },
        { { 198, 51, 100, 10 }, "198.51.100.10" }, { { 10, 0, 100, 9 }, "10.0.100.9" },
    };
    char buf[64];
    ikd_addr a;

    for (gsize i = 0; i < G_N_ELEMENTS(nums); i++) {
        g_assert_cmpuint(ikd_u32_to_dec(nums[i].v, buf), ==, strlen(nums[i].s));
        g_assert_cmpstr(buf, ==, nums[i].s);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(v4); i++) {
        memset(&a, 0, sizeof a);
        a.family = 4;
        memcpy(a.bytes, v4[i].b, 4);
        g_assert_cmpstr(ikd_addr_to_str(&a, buf, sizeof buf), ==, v4[i].s);
    }
    /* a short buffer gets the start, NUL-terminated */
    g_assert_cmpstr(ikd_addr_to_str(&a, buf, 5), ==, "10.0");
    memset(&a, 0, sizeof a);
    a.family = 6;
    a.bytes[0] = 0x20, a.bytes[1] = 0x01, a.bytes[2] = 0x0d, a.bytes[3] = 0xb8, a.bytes[15] = 1;
    g_assert_cmpstr(ikd_addr_to_str(&a, buf, sizeof buf), ==, "2001:db8::1");
    GString *s = g_string_new("frame ");
    ikd_append_u32(s, 4294967295u);
    g_assert_cmpstr(s->str, ==, "frame 4294967295");
    g_string_free(s, TRUE);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/names/notation", test_notation);
    g_test_add_func("/names/v1-mapping", test_v1_mapping);
    g_test_add_func("/names/weakness", test_weakness);
    g_test_add_func("/names/numbers-in-text", test_numbers_in_text);
    return g_test_run();
}
