/* test-setup.c: the user's choices notify once per real change; sizes parse as documented. */
#include <string.h>

#include "pt-setup.h"

static void
count_cb (PtSetup *setup,
          guint   *count)
{
  (*count)++;
}

static void
test_changes (void)
{
  g_autoptr(PtSetup) setup = pt_setup_new ();
  const char * const disks[] = { "/dev/disk/by-id/ata-X", NULL };
  guint changes = 0;

  g_signal_connect (setup, "changed", G_CALLBACK (count_cb), &changes);

  g_assert_cmpuint (pt_setup_get_vcpus (setup), ==, PT_SETUP_DEFAULT_VCPUS);
  g_assert_cmpuint (pt_setup_get_memory_mib (setup), ==, 8192);
  g_assert_cmpstr (pt_setup_get_name (setup), ==, "passthrough-vm");
  g_assert_cmpint (pt_setup_get_guest (setup), ==, PT_GUEST_WINDOWS);
  g_assert_cmpuint (g_strv_length ((char **) pt_setup_get_disks (setup)), ==, 0);

  pt_setup_set_vcpus (setup, 6);
  pt_setup_set_vcpus (setup, 6);
  g_assert_cmpuint (changes, ==, 1);
  pt_setup_set_gpu (setup, "0000:09:00.0");
  pt_setup_set_gpu (setup, "0000:09:00.0");
  g_assert_cmpuint (changes, ==, 2);
  pt_setup_set_disks (setup, disks);
  pt_setup_set_disks (setup, disks);
  g_assert_cmpuint (changes, ==, 3);
  g_assert_cmpstr (pt_setup_get_disks (setup)[0], ==, disks[0]);
  pt_setup_set_disks (setup, NULL);
  g_assert_cmpuint (changes, ==, 4);
  g_object_set (setup, "hugepages", PT_HUGEPAGES_1G, NULL);
  g_assert_cmpuint (changes, ==, 5);
  g_assert_cmpuint (pt_hugepages_size_kib (pt_setup_get_hugepages (setup)), ==, 1048576);
  pt_setup_set_name (setup, NULL);
  g_assert_cmpuint (changes, ==, 5);

  {
    g_autoptr(GArray) pins = g_array_new (FALSE, FALSE, sizeof (guint));
    guint cpus[] = { 3, 9, 4, 10 };

    g_assert_null (pt_setup_get_cpu_pins (setup));
    g_array_append_vals (pins, cpus, G_N_ELEMENTS (cpus));
    pt_setup_set_cpu_pins (setup, pins);
    pt_setup_set_cpu_pins (setup, pins);
    g_assert_cmpuint (changes, ==, 6);
    g_assert_cmpuint (g_array_index (pt_setup_get_cpu_pins (setup), guint, 1), ==, 9);
    pt_setup_set_cpu_pins (setup, NULL);
    g_assert_cmpuint (changes, ==, 7);
  }
}

/* A copy holds every choice, so that a worker thread can build from it while the user goes
 * on; a property added without a line in pt_setup_copy() fails here. */
static void
test_copy (void)
{
  g_autoptr(PtSetup) setup = pt_setup_new ();
  g_autoptr(PtSetup) copy = NULL;
  g_autoptr(GArray) pins = g_array_new (FALSE, FALSE, sizeof (guint));
  const char * const inputs[] = { "/dev/input/by-id/usb-K-event-kbd", NULL };
  const char * const disks[] = { "volume:default/win:64GiB", NULL };
  const char * const isos[] = { "/srv/iso/win11.iso", NULL };
  const char * const usb[] = { "046d:c52b", NULL };
  guint cpus[] = { 3, 9, 4 };
  g_autofree GParamSpec **specs = NULL;
  guint n_specs = 0;
  guint changes = 0;

  g_array_append_vals (pins, cpus, G_N_ELEMENTS (cpus));
  g_object_set (setup, "gpu", "0000:09:00.0", "single-gpu", TRUE, "memory-mib", (guint64) 12288,
                "hugepages", PT_HUGEPAGES_1G, "hugepages-on-demand", TRUE,
                "guest", PT_GUEST_LINUX, "isolate-host", TRUE, "name", "win11",
                "inputs", inputs, "disks", disks, "isos", isos, "usb", usb, NULL);
  pt_setup_set_cpu_pins (setup, pins);
  pt_setup_set_vcpus (setup, 3);

  copy = pt_setup_copy (setup);
  g_signal_connect (copy, "changed", G_CALLBACK (count_cb), &changes);

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (setup), &n_specs);
  g_assert_cmpuint (n_specs, >=, 14);
  for (guint i = 0; i < n_specs; i++)
    {
      g_auto(GValue) a = G_VALUE_INIT;
      g_auto(GValue) b = G_VALUE_INIT;
      g_autofree char *text_a = NULL;
      g_autofree char *text_b = NULL;

      g_value_init (&a, specs[i]->value_type);
      g_value_init (&b, specs[i]->value_type);
      g_object_get_property (G_OBJECT (setup), specs[i]->name, &a);
      g_object_get_property (G_OBJECT (copy), specs[i]->name, &b);
      g_test_message ("%s", specs[i]->name);
      g_assert_false (g_param_value_defaults (specs[i], &a));
      if (specs[i]->value_type == G_TYPE_ARRAY)
        {
          GArray *array_a = g_value_get_boxed (&a);
          GArray *array_b = g_value_get_boxed (&b);

          g_assert_nonnull (array_b);
          g_assert_true (array_a != array_b);
          g_assert_cmpmem (array_a->data, array_a->len * sizeof (guint),
                           array_b->data, array_b->len * sizeof (guint));
          continue;
        }
      text_a = g_strdup_value_contents (&a);
      text_b = g_strdup_value_contents (&b);
      g_assert_cmpstr (text_a, ==, text_b);
    }

  /* The two are independent afterwards. */
  pt_setup_set_name (setup, "other");
  g_assert_cmpstr (pt_setup_get_name (copy), ==, "win11");
  g_assert_cmpuint (changes, ==, 0);
}

static void
test_sizes (void)
{
  static const struct {
    const char *text;
    guint64 mib;   /* 0: must fail */
  } cases[] = {
    { "8GiB", 8192 }, { "8G", 8192 }, { "8192MiB", 8192 }, { "8192M", 8192 }, { "1T", 1048576 },
    { "16", 0 }, { "8GB", 0 }, { "0G", 0 }, { "-1G", 0 }, { "", 0 }, { "8 G", 0 },
    { "99999999999999999999G", 0 }, { "1.5G", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint64 mib = 0;
      g_autoptr(GError) error = NULL;
      gboolean ok = pt_parse_memory_size (cases[i].text, &mib, &error);

      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].mib != 0);
      if (ok)
        g_assert_cmpuint (mib, ==, cases[i].mib);
      else
        g_assert_nonnull (strstr (error->message, "8GiB"));
    }
}

static void
test_hugepage_sizes (void)
{
  PtHugepages h = PT_HUGEPAGES_OFF;
  g_autoptr(GError) error = NULL;

  g_assert_true (pt_parse_hugepage_size ("2M", &h, NULL));
  g_assert_cmpint (h, ==, PT_HUGEPAGES_2M);
  g_assert_true (pt_parse_hugepage_size ("1GiB", &h, NULL));
  g_assert_cmpint (h, ==, PT_HUGEPAGES_1G);
  g_assert_false (pt_parse_hugepage_size ("4M", &h, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/changes", test_changes);
  g_test_add_func ("/setup/copy", test_copy);
  g_test_add_func ("/setup/memory-sizes", test_sizes);
  g_test_add_func ("/setup/hugepage-sizes", test_hugepage_sizes);
  return g_test_run ();
}
