# Organisasi: Pengaturan, Anggota, satu anggota, Aplikasi, Log audit (org_*.html).
# Istilah: lihat locales/GLOSSARY.md.

## Tab (org_tabs.html)
org-heading = Organisasi: { $org }
org-nav-label = Organisasi
org-tab-settings = Pengaturan
org-tab-members = Anggota
org-tab-applications = Aplikasi
org-tab-audit = Log audit

## Dipakai di beberapa halaman organisasi
org-save = Simpan
org-cancel = Batal
org-link-security = Keamanan dan Kredensial
org-col-email = Email
org-col-role = Peran
org-col-verified = Email terverifikasi
org-col-2fa = 2FA
org-col-last-sign-in = Terakhir masuk
org-col-status = Status

## Pengaturan (org_settings.html)
org-settings-title = Pengaturan organisasi
org-preview-heading = Periksa sebelum menyimpan
# Halaman menambahkan org-preview-grace bila ada masa tenggang, lalu titik.
org-preview-affected = { $n } anggota belum memiliki 2FA (atau belum memiliki metode yang diizinkan) dan harus menyiapkannya saat masuk berikutnya
org-preview-affected-admins = { $n } anggota belum memiliki 2FA (atau belum memiliki metode yang diizinkan, atau merupakan admin tanpa kunci keamanan atau kunci sandi) dan harus menyiapkannya saat masuk berikutnya
org-preview-grace = setelah masa tenggang { $days } hari berakhir
org-policy-heading = Autentikasi dua faktor
org-need-2fa-policy = Siapkan autentikasi dua faktor untuk diri Anda sendiri sebelum mewajibkannya:
org-require-2fa = Wajibkan Autentikasi Dua Faktor
org-grace-label = Masa tenggang (jumlah hari; 0: saat mereka masuk berikutnya)
org-allowed-methods = Metode yang diizinkan
org-method-email = Kode email
org-method-authenticator = Aplikasi autentikator
org-method-key = Kunci keamanan atau kunci sandi
org-admin-keys = Wajibkan kunci keamanan atau kunci sandi untuk admin
org-admin-keys-hint = Admin kemudian hanya dapat masuk dengan kunci mereka: kode dapat diteruskan oleh halaman masuk palsu, sedangkan kunci tidak. Admin yang belum memilikinya harus menambahkannya saat masuk berikutnya.
org-admin-keys-hint-grace = Admin kemudian hanya dapat masuk dengan kunci mereka: kode dapat diteruskan oleh halaman masuk palsu, sedangkan kunci tidak. Admin yang belum memilikinya harus menambahkannya saat masuk berikutnya, setelah masa tenggang berakhir.

## Anggota (org_members.html)
org-invite-label = Email anggota baru
org-invite-placeholder = nama@{ $domain }
org-invite = Undang anggota
org-members-show = Tampilkan:
org-members-all = semua anggota
org-members-no-2fa = tanpa 2FA
org-members-caption = Anggota { $org }

## Satu anggota (org_member.html)
org-member-remove-admin = Hapus peran admin
org-member-make-admin = Jadikan admin
org-member-enable = Aktifkan
org-member-disable = Nonaktifkan
org-reset-heading = Atur ulang autentikasi dua faktor
org-reset-explain = Untuk anggota yang kehilangan perangkatnya: menghapus faktor kedua dan Kunci Pemulihan mereka, mengeluarkan mereka dari semua sesi, lalu mengirimi mereka email. Konfirmasi dengan kata sandi dan faktor kedua Anda sendiri.
org-send-code = Kirim kode verifikasi
org-your-password = Kata sandi Anda
org-your-app-code = Kode aplikasi autentikator Anda
org-code-label = Kode Verifikasi
org-your-recovery-key = Atau Kunci Pemulihan Anda
org-need-2fa-first = Siapkan autentikasi dua faktor untuk diri Anda sendiri terlebih dahulu:
org-back-to-members = Kembali ke Anggota

## Aplikasi (org_applications.html)
org-app-credentials = Kredensial
org-app-client-id-shown = ID klien:
org-app-secret-shown = Rahasia klien:
org-app-secret-once = Rahasia ini hanya ditampilkan sekali ini. Simpan di konfigurasi aplikasi, jangan pernah di browser.
org-apps-intro = Aplikasi yang penggunanya masuk melalui { -product }, dengan kebijakan autentikasi dua faktor organisasi ini.
org-apps-none = Belum ada aplikasi.
org-apps-col-name = Nama
org-apps-col-client-id = ID klien
org-apps-col-type = Jenis
org-apps-col-redirect = URI pengalihan
org-app-requires-2fa = Mewajibkan autentikasi dua faktor
org-app-third-party = Pihak ketiga: meminta persetujuan
org-app-id-tokens = Token ID: { $alg }
org-app-confidential = Konfidensial
org-app-public = Publik (PKCE)
org-app-after-logout = Setelah keluar:
org-app-replace-secret = Ganti rahasia
org-app-delete = Hapus
org-app-register-heading = Daftarkan aplikasi
org-app-redirect-label = URI pengalihan (satu per baris, harus sama persis)
org-app-redirect-placeholder = https://console.example.com/callback
org-app-logout-label = Setelah keluar, kembali ke (opsional, satu per baris)
org-app-kind-confidential = Konfidensial: aplikasi sisi server dengan rahasia
org-app-kind-public = Publik: aplikasi browser atau seluler (PKCE, tanpa rahasia)
org-app-require-2fa = Wajibkan autentikasi dua faktor untuk masuk ke aplikasi ini
org-app-third-party-consent = Pihak ketiga: minta persetujuan anggota
org-app-alg-label = Tanda tangan token ID
org-app-alg-rs256 = RS256 (bawaan OpenID Connect)
org-app-alg-es256 = ES256
org-app-register = Daftarkan

## Log audit (org_audit.html)
org-audit-member = Email anggota
org-audit-event = Peristiwa
org-audit-all = Semua peristiwa
org-audit-filter = Filter
org-audit-export = Ekspor CSV
org-audit-caption = Peristiwa keamanan, terbaru lebih dulu
org-audit-col-time = Waktu
org-audit-col-member = Anggota
org-audit-col-address = Alamat klien
org-audit-col-browser = Browser
org-audit-col-detail = Detail
org-audit-newer = Lebih baru
org-audit-older = Lebih lama

## Pengaturan -> "Ingat perangkat ini" (org_settings.html) dan perangkat anggota (org_member.html)
org-remember-heading = Ingat perangkat ini
org-remember-hint = Anggota dapat mencentang “Ingat perangkat ini” pada langkah kedua saat masuk, lalu melewatinya di browser itu selama jumlah hari yang diatur di sini. Kata sandi tetap diminta, dan aplikasi yang meminta faktor kedua yang baru tetap mendapatkannya. Matikan jika komputer dipakai bersama.
org-remember-offered = Tawarkan “Ingat perangkat ini”
org-remember-days = Jumlah hari perangkat diingat
org-member-devices-hint = Browser yang pernah masuk ke akun anggota ini, dan sampai kapan masing-masing melewati langkah kedua. Lupakan jika perangkat hilang atau dipakai bersama: saat masuk berikutnya, perangkat itu akan diminta langkah kedua dan anggota menerima peringatan.
