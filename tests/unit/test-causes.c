/* test-causes.c
 * Unit test of plugin/core/causes.c (the list in causes.def): every cause
 * has its entry, found by its keyword.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ikd-test.h"
#include "core/causes.h"

static void
test_causes_table(void)
{
    for (int i = 0; i < IKD_CAUSE_COUNT; i++) {
        const ikd_cause_info *ci = ikd_cause_get((ikd_cause)i);
        g_assert_nonnull(ci);
        g_assert_cmpint(ci->cause, ==, i);
        g_assert_true(ikd_cause_by_keyword(ci->keyword) == ci);
    }
    g_assert_null(ikd_cause_by_keyword("no-such-cause"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/causes/table", test_causes_table);
    return g_test_run();
}
