/* replay-main.c
 * Runs fuzz-core.c's LLVMFuzzerTestOneInput() over saved inputs without
 * libFuzzer, so the corpus and every crash reproducer in tests/fuzz/corpus/
 * stay a regression test with any compiler (gcc, with or without
 * IKEDIAG_SANITIZE).
 *
 *   fuzz-core-replay FILE|DIR...
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdint.h>
#include <stdio.h>
#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
    gchar *buf = NULL;
    gsize len = 0;
    GError *err = NULL;

    if (!g_file_get_contents(path, &buf, &len, &err)) {
        fprintf(stderr, "fuzz-core-replay: %s\n", err->message);
        g_error_free(err);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
    g_free(buf);
    return 0;
}

int
main(int argc, char **argv)
{
    int failed = 0;
    unsigned n = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            GDir *d = g_dir_open(argv[i], 0, NULL);
            const gchar *name;
            if (!d) {
                failed = 1;
                continue;
            }
            while ((name = g_dir_read_name(d))) {
                gchar *p = g_build_filename(argv[i], name, NULL);
                if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
                    failed |= run_file(p);
                    n++;
                }
                g_free(p);
            }
            g_dir_close(d);
        } else {
            failed |= run_file(argv[i]);
            n++;
        }
    }
    printf("fuzz-core-replay: %u inputs run\n", n);
    return failed || n == 0;
}
