/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "runtime/netstore.h"
#include "runtime/state.h"
#include "base/cleanup.h"
#include "base/fileutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define LEASE_FILE "lease.json"
#define FILE_MAX (1 << 20)

const char *nb_net_dir(void)
{
	const char *dir = getenv("NSBOX_NET_DIR");

	return dir && dir[0] == '/' ? dir : NB_NET_DIR;
}

static int open_locked(struct nb_netstore *ns, const char *dir, bool create, bool *ret_exists,
		       struct nb_error *err)
{
	ns->dirfd = ns->lockfd = -1;
	if (snprintf(ns->dir, sizeof(ns->dir), "%s", dir) >= (int)sizeof(ns->dir))
		return nb_error_set(err, ENAMETOOLONG, "network state '%s': path too long", dir);
	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return nb_error_errno(err, "network state: create '%s'", dir);
	ns->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ns->dirfd < 0 && errno == ENOENT && !create) {
		*ret_exists = false;
		return 0;
	}
	if (ns->dirfd < 0)
		return nb_error_errno(err, "network state '%s'", dir);
	if (ret_exists)
		*ret_exists = true;
	ns->lockfd = openat(ns->dirfd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (ns->lockfd < 0 || flock(ns->lockfd, LOCK_EX) < 0) {
		int r = nb_error_errno(err, "network state '%s': lock", dir);

		nb_netstore_unlock(ns);
		return r;
	}
	if ((mkdirat(ns->dirfd, "networks", 0700) < 0 && errno != EEXIST) ||
	    (mkdirat(ns->dirfd, "leases", 0755) < 0 && errno != EEXIST)) {
		int r = nb_error_errno(err, "network state '%s'", dir);

		nb_netstore_unlock(ns);
		return r;
	}
	return 0;
}

int nb_netstore_lock(struct nb_netstore *ns, const char *dir, struct nb_error *err)
{
	return open_locked(ns, dir, true, NULL, err);
}

int nb_netstore_lock_existing(struct nb_netstore *ns, const char *dir, bool *ret_exists,
			      struct nb_error *err)
{
	return open_locked(ns, dir, false, ret_exists, err);
}

void nb_netstore_unlock(struct nb_netstore *ns)
{
	nb_closep(&ns->lockfd);
	nb_closep(&ns->dirfd);
}

/* Write TEXT to PATH (relative to the store) whole: a temporary beside
 * it, then rename. */
static int write_atomic(struct nb_netstore *ns, const char *path, const char *text, mode_t mode,
			struct nb_error *err)
{
	char tmp[512];
	unsigned rnd = 0;
	int fd, r;

	(void)!getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK);
	snprintf(tmp, sizeof(tmp), "%s.%08x.tmp", path, rnd);
	fd = openat(ns->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return nb_error_errno(err, "network state: write '%s'", path);
	r = nb_write_all(fd, text, strlen(text));
	if (close(fd) < 0 && r >= 0)
		r = -errno;
	if (r >= 0 && renameat(ns->dirfd, tmp, ns->dirfd, path) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(ns->dirfd, tmp, 0);
		return nb_error_sys(err, -r, "network state: write '%s'", path);
	}
	return 0;
}

static int read_json(struct nb_netstore *ns, const char *path, json_t **ret, struct nb_error *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = nb_read_file_alloc_at(ns->dirfd, path, FILE_MAX, &text, &len);

	*ret = NULL;
	if (r == -ENOENT)
		return -ENOENT;
	if (r < 0)
		return nb_error_sys(err, -r, "network state: read '%s'", path);
	*ret = json_loadb(text, len, 0, NULL);
	if (!*ret || !json_is_object(*ret)) {
		json_decref(*ret);
		*ret = NULL;
		return nb_error_set(err, EINVAL, "network state: '%s' is not a JSON object", path);
	}
	return 0;
}

static int save_json(struct nb_netstore *ns, const char *path, json_t *obj, struct nb_error *err)
{
	_cleanup_free_ char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;

	json_decref(obj);
	if (!text)
		return nb_error_set(err, ENOMEM, "out of memory");
	return write_atomic(ns, path, text, 0644, err);
}

static const char *get_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* ---- networks ---- */

int nb_netstore_network_load(struct nb_netstore *ns, const char *name, struct nb_network *ret,
			     struct nb_error *err)
{
	char path[64];
	json_t *o = NULL;
	struct nb_error ignored;
	int r;

	if (nb_net_name_check(name, "network", err) < 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "networks/%s.json", name);
	r = read_json(ns, path, &o, err);
	if (r < 0)
		return r;
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->name, sizeof(ret->name), "%s", name);
	r = nb_cidr4_parse(get_str(o, "subnet"), &ret->subnet, "subnet", &ignored);
	if (r >= 0)
		r = nb_ip4_parse(get_str(o, "gateway"), &ret->gateway);
	json_decref(o);
	if (r < 0)
		return nb_error_set(err, EINVAL, "network state: '%s' is damaged", path);
	return 0;
}

int nb_netstore_network_save(struct nb_netstore *ns, const struct nb_network *net, struct nb_error *err)
{
	char path[64], s[NB_CIDR4_STRLEN], g[NB_IP4_STRLEN];

	snprintf(path, sizeof(path), "networks/%s.json", net->name);
	return save_json(ns, path, json_pack("{s:s, s:s, s:s, s:s}", "name", net->name, "bridge", net->name,
					     "subnet", nb_cidr4_format(&net->subnet, s),
					     "gateway", nb_ip4_format(net->gateway, g)), err);
}

int nb_netstore_network_remove(struct nb_netstore *ns, const char *name, struct nb_error *err)
{
	char path[64];

	snprintf(path, sizeof(path), "leases/%s", name);
	if (unlinkat(ns->dirfd, path, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return nb_error_errno(err, "network state: remove '%s'", path);
	snprintf(path, sizeof(path), "networks/%s.json", name);
	if (unlinkat(ns->dirfd, path, 0) < 0 && errno != ENOENT)
		return nb_error_errno(err, "network state: remove '%s'", path);
	return 0;
}

/* The names in the store's directory SUB (opened relative to it). */
static int list_dir(struct nb_netstore *ns, const char *sub, struct nb_strv *ret, struct nb_error *err)
{
	int fd = openat(ns->dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || !(d = fdopendir(fd))) {
		int r = nb_error_errno(err, "network state: list '%s'", sub);

		if (fd >= 0)
			close(fd);
		return r;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !strstr(de->d_name, ".tmp") && nb_strv_push(ret, de->d_name) < 0) {
			closedir(d);
			return nb_error_set(err, ENOMEM, "out of memory");
		}
	closedir(d);
	return 0;
}

int nb_netstore_networks(struct nb_netstore *ns, struct nb_network **ret, size_t *ret_n,
			 struct nb_error *err)
{
	struct nb_strv names = { 0 };
	struct nb_network *list;
	size_t n = 0;
	int r = list_dir(ns, "networks", &names, err);

	*ret = NULL;
	*ret_n = 0;
	if (r < 0)
		return r;
	list = calloc(names.len ? names.len : 1, sizeof(*list));
	if (!list) {
		nb_strv_free(&names);
		return nb_error_set(err, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < names.len; i++) {
		char *dot = strstr(names.items[i], ".json");
		struct nb_error ignored;

		if (!dot || dot[5] != '\0')
			continue;
		*dot = '\0';
		if (nb_netstore_network_load(ns, names.items[i], &list[n], &ignored) == 0)
			n++;
	}
	nb_strv_free(&names);
	*ret = list;
	*ret_n = n;
	return 0;
}

/* ---- leases ---- */

bool nb_netstore_lease_alive(const struct nb_lease *l)
{
	uint64_t start;
	char state;

	if (l->half_made || l->pid <= 0)
		return false;
	return nb_proc_start_time(l->pid, &start, &state) == 0 && start == l->start_time &&
	       state != 'Z' && state != 'X';
}

void nb_netstore_lease_path(const char *network, uint32_t addr, char *buf, size_t size)
{
	char a[NB_IP4_STRLEN];

	snprintf(buf, size, "leases/%s/%s", network, nb_ip4_format(addr, a));
}

int nb_netstore_lease_claim(struct nb_netstore *ns, const char *network, uint32_t addr,
			    struct nb_error *err)
{
	char path[128], a[NB_IP4_STRLEN];

	snprintf(path, sizeof(path), "leases/%s", network);
	if (mkdirat(ns->dirfd, path, 0755) < 0 && errno != EEXIST)
		return nb_error_errno(err, "network state: create '%s'", path);
	nb_netstore_lease_path(network, addr, path, sizeof(path));
	if (mkdirat(ns->dirfd, path, 0755) < 0) {
		if (errno == EEXIST)
			return nb_error_set(err, EADDRINUSE, "address %s in use on network '%s'",
					    nb_ip4_format(addr, a), network);
		return nb_error_errno(err, "network state: create '%s'", path);
	}
	return 0;
}

int nb_netstore_lease_save(struct nb_netstore *ns, const struct nb_lease *l, struct nb_error *err)
{
	char path[160], a[NB_IP4_STRLEN], p[48];
	json_t *o, *pubs = json_array();

	for (size_t i = 0; pubs && i < l->n_publish; i++)
		json_array_append_new(pubs, json_string(nb_publish_format(&l->publish[i], p, sizeof(p))));
	o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:b, s:s, s:s, s:b, s:o}", "network", l->network,
		      "address", nb_ip4_format(l->addr, a), "veth", l->veth, "pid", (json_int_t)l->pid,
		      "startTime", (json_int_t)l->start_time, "sandbox", l->sandbox, "hostname", l->hostname,
		      "name", l->name, "nat", l->nat, "publish", pubs);
	nb_netstore_lease_path(l->network, l->addr, path, sizeof(path));
	strcat(path, "/" LEASE_FILE);
	return save_json(ns, path, o, err);
}

static int load_lease(struct nb_netstore *ns, const char *network, const char *addr, struct nb_lease *l,
		      struct nb_error *err)
{
	char path[160];
	json_t *o = NULL, *pubs;
	struct nb_error ignored;
	size_t i;
	json_t *v;
	int r;

	memset(l, 0, sizeof(*l));
	snprintf(l->network, sizeof(l->network), "%s", network);
	if (nb_ip4_parse(addr, &l->addr) < 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "leases/%s/%s/" LEASE_FILE, network, addr);
	r = read_json(ns, path, &o, err);
	if (r == -ENOENT) {
		l->half_made = true;
		return 0;
	}
	if (r < 0)
		return r;
	snprintf(l->veth, sizeof(l->veth), "%s", get_str(o, "veth"));
	snprintf(l->hostname, sizeof(l->hostname), "%s", get_str(o, "hostname"));
	snprintf(l->name, sizeof(l->name), "%s", get_str(o, "name"));
	l->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
	l->start_time = (uint64_t)json_integer_value(json_object_get(o, "startTime"));
	l->sandbox = json_is_true(json_object_get(o, "sandbox"));
	l->nat = json_is_true(json_object_get(o, "nat"));
	pubs = json_object_get(o, "publish");
	json_array_foreach(pubs, i, v) {
		if (l->n_publish < NB_NET_MAX_PUBLISH && json_is_string(v) &&
		    nb_publish_parse(json_string_value(v), &l->publish[l->n_publish], &ignored) == 0)
			l->n_publish++;
	}
	json_decref(o);
	return 0;
}

int nb_netstore_leases(struct nb_netstore *ns, const char *network, struct nb_lease **ret,
		       size_t *ret_n, struct nb_error *err)
{
	struct nb_strv nets = { 0 };
	struct nb_lease *list = NULL;
	size_t n = 0;
	int r = 0;

	*ret = NULL;
	*ret_n = 0;
	if (network)
		r = nb_strv_push(&nets, network) < 0 ? nb_error_set(err, ENOMEM, "out of memory") : 0;
	else
		r = list_dir(ns, "leases", &nets, err);
	for (size_t i = 0; r >= 0 && i < nets.len; i++) {
		struct nb_strv addrs = { 0 };
		char sub[64];

		snprintf(sub, sizeof(sub), "leases/%s", nets.items[i]);
		r = list_dir(ns, sub, &addrs, err);
		for (size_t k = 0; r >= 0 && k < addrs.len; k++) {
			struct nb_lease *grown = realloc(list, (n + 1) * sizeof(*list));

			if (!grown) {
				r = nb_error_set(err, ENOMEM, "out of memory");
				break;
			}
			list = grown;
			r = load_lease(ns, nets.items[i], addrs.items[k], &list[n], err);
			if (r == -EINVAL)
				r = 0;       /* not a lease's name: not ours */
			else if (r >= 0)
				n++;
		}
		nb_strv_free(&addrs);
	}
	nb_strv_free(&nets);
	if (r < 0) {
		free(list);
		return r;
	}
	*ret = list;
	*ret_n = n;
	return 0;
}

int nb_netstore_lease_remove(struct nb_netstore *ns, const char *network, uint32_t addr,
			     struct nb_error *err)
{
	static const char *const files[] = { LEASE_FILE, "hosts", "hostname", "resolv.conf" };
	struct nb_strv names = { 0 };
	char path[160], file[256];
	int r;

	nb_netstore_lease_path(network, addr, path, sizeof(path));
	/* Our own files, and whatever temporary a killed write left. */
	r = list_dir(ns, path, &names, err);
	for (size_t i = 0; i < NB_ARRAY_SIZE(files); i++) {
		snprintf(file, sizeof(file), "%s/%s", path, files[i]);
		unlinkat(ns->dirfd, file, 0);
	}
	for (size_t i = 0; r >= 0 && i < names.len; i++) {
		snprintf(file, sizeof(file), "%s/%s", path, names.items[i]);
		unlinkat(ns->dirfd, file, 0);
	}
	nb_strv_free(&names);
	if (unlinkat(ns->dirfd, path, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return nb_error_errno(err, "network state: remove '%s'", path);
	return 0;
}

int nb_netstore_lease_file(struct nb_netstore *ns, const char *network, uint32_t addr,
			   const char *name, const char *text, struct nb_error *err)
{
	char path[200];
	_cleanup_close_ int fd = -1;
	int r;

	nb_netstore_lease_path(network, addr, path, sizeof(path) - 32);
	strcat(path, "/");
	strcat(path, name);
	fd = openat(ns->dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return nb_error_errno(err, "network state: write '%s'", path);
	r = nb_write_all(fd, text, strlen(text));
	if (r < 0)
		return nb_error_sys(err, -r, "network state: write '%s'", path);
	return 0;
}

/* ---- ip_forward ---- */

int nb_netstore_forward_saved(struct nb_netstore *ns, int *ret, struct nb_error *err)
{
	char buf[16];
	ssize_t n = nb_read_file_at(ns->dirfd, "ip_forward", buf, sizeof(buf));

	*ret = -1;
	if (n == -ENOENT)
		return 0;
	if (n < 0)
		return nb_error_sys(err, (int)-n, "network state: read 'ip_forward'");
	*ret = buf[0] == '1' ? 1 : 0;
	return 0;
}

int nb_netstore_forward_save(struct nb_netstore *ns, int value, struct nb_error *err)
{
	return write_atomic(ns, "ip_forward", value ? "1\n" : "0\n", 0600, err);
}

int nb_netstore_forward_forget(struct nb_netstore *ns, struct nb_error *err)
{
	if (unlinkat(ns->dirfd, "ip_forward", 0) < 0 && errno != ENOENT)
		return nb_error_errno(err, "network state: remove 'ip_forward'");
	return 0;
}

char *nb_netstore_lease_json(const struct nb_lease *l)
{
	char a[NB_IP4_STRLEN], p[48];
	json_t *pubs = json_array(), *o;
	char *text;

	for (size_t i = 0; pubs && i < l->n_publish; i++)
		json_array_append_new(pubs, json_string(nb_publish_format(&l->publish[i], p, sizeof(p))));
	o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:b, s:o}", "address", nb_ip4_format(l->addr, a),
		      "hostname", l->hostname, "name", l->name, "veth", l->veth, "pid", (json_int_t)l->pid,
		      "running", nb_netstore_lease_alive(l), "nat", l->nat, "publish", pubs);
	text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return text;
}
