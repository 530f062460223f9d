/* A stand-alone driver for hyposctl's key and signing commands
 * (tools/hyposctl/keys.c, sign.c), so that the build can make an example
 * system's keys and bundles without the rest of hyposctl:
 *   keytool keygen|keyring|sign|inspect ARGS... (as hyposctl takes them) */
#include <stdio.h>
#include <string.h>

#include "hyposctl_sign.h"

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {{"keygen", hyposctl_cmd_keygen},
                {"keyring", hyposctl_cmd_keyring},
                {"sign", hyposctl_cmd_sign},
                {"inspect", hyposctl_cmd_inspect}};
    if (hyposctl_crypto_init() != 0) {
        fprintf(stderr, "keytool: libsodium cannot start\n");
        return 1;
    }
    for (size_t i = 0; argc > 1 && i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].run(argc - 1, argv + 1);
    fprintf(stderr, "usage: keytool keygen|keyring|sign|inspect ARGS...\n");
    return 2;
}
