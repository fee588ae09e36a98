/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/creds.h"

#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <unistd.h>

/* EINVAL is an id the user namespace does not map: say so, and do not
 * name an option that was not given (the default is the namespace's root;
 * nb_config_finalize() refuses an unmapped default before anything runs). */
static int id_error(struct nb_error *err, const char *what, unsigned id, bool given)
{
	int code = errno;

	if (code == EINVAL)
		return nb_error_set(err, EINVAL, "%s %u%s is not mapped in the user namespace", what, id,
				    given ? "" : " (the default; use --uid and --gid)");
	return nb_error_sys(err, code, "%s %u: set%s", what, id, what);
}

int nb_creds_apply(const struct nb_config *cfg, bool setgroups_denied, struct nb_error *err)
{
	bool userns = cfg->ns[NB_NS_USER].mode == NB_NS_NEW;
	bool change = cfg->set_uid || cfg->set_gid || cfg->set_groups;
	uid_t uid = cfg->set_uid ? cfg->uid : 0;
	gid_t gid = cfg->set_gid ? cfg->gid : 0;

	if (!change && !userns)
		return 0;
	if (cfg->set_groups) {
		if (setgroups_denied)
			return nb_error_set(err, EPERM, "--groups: setgroups is denied in this user namespace "
					    "(map groups with --map-groups through newgidmap)");
		if (setgroups(cfg->n_groups, cfg->groups) < 0)
			return nb_error_errno(err, "--groups: setgroups");
	} else if (!setgroups_denied && change && setgroups(0, NULL) < 0) {
		return nb_error_errno(err, "drop supplementary groups");
	}
	if ((cfg->set_gid || userns) && setresgid(gid, gid, gid) < 0)
		return id_error(err, "gid", gid, cfg->set_gid);
	if ((cfg->set_uid || userns) && setresuid(uid, uid, uid) < 0)
		return id_error(err, "uid", uid, cfg->set_uid);
	return 0;
}
