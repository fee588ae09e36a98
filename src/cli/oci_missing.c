/* Temporary while spec/oci.c lands: the bundle commands are not built yet. */
#include <stddef.h>
#include "cli/commands.h"

static int missing(void)
{
	return nb_cli_usage(NULL, "this command is not built yet");
}

int nb_cmd_create(const struct nb_globals *g, int argc, char *argv[]) { (void)g; (void)argc; (void)argv; return missing(); }
int nb_cmd_oci_run(const struct nb_globals *g, int argc, char *argv[]) { (void)g; (void)argc; (void)argv; return missing(); }
int nb_cmd_spec(const struct nb_globals *g, int argc, char *argv[]) { (void)g; (void)argc; (void)argv; return missing(); }
int nb_cmd_features(const struct nb_globals *g, int argc, char *argv[]) { (void)g; (void)argc; (void)argv; return missing(); }
int nb_cmd_exec(const struct nb_globals *g, int argc, char *argv[]) { (void)g; (void)argc; (void)argv; return missing(); }
